import Foundation
import OrderedCollections

/// `d` rounded down to an Int, clamped like ``jsInt(_:)``: an index or limit from user data
/// (`items[1e21]`) must not trap the conversion.
func flooredInt(_ d: Double) -> Int {
    jsInt(d.rounded(.down))
}

func jsInt(_ d: Double) -> Int {
    if d.isNaN { return 0 }
    if d >= Double(Int.max / 2) { return Int.max / 2 }
    if d <= Double(Int.min / 2) { return Int.min / 2 }
    return Int(d.rounded(.towardZero))
}

extension Builtins {
    static let stringFunctions: [Builtin] = [
        Builtin("string", "<x-b?:s>", arity: 1) { _, args, _, _ in
            guard let v = arg(args, 0) else { return nil }
            let pretty = arg(args, 1).map { isTruthy($0) } ?? false
            return .string(try stringify(v, pretty: pretty))
        },
        Builtin("substring", "<s-nn?:s>") { _, args, _, _ in
            guard let s = argString(args, 0) else { return nil }
            // A missing start with a length makes the reference's end NaN: an empty slice.
            if argNumber(args, 1) == nil, argNumber(args, 2) != nil { return .string("") }
            // The reference works out the end from the numbers as given and only then slices,
            // which drops each bound's fraction: `$substring("Hello", 0.5, 2.5)` ends at 3, "Hel".
            var start = argNumber(args, 1) ?? 0
            if start >= 0 {
                // counted from the start: code points are counted only as far as the slice reaches
                guard let lenD = argNumber(args, 2) else { return .string(codePointSlice(s, from: jsInt(start), to: nil)) }
                if lenD <= 0 { return .string("") }
                return .string(codePointSlice(s, from: jsInt(start), to: jsInt(start + lenD)))
            }
            let count = scalarCount(s)
            if Double(count) + start < 0 { start = 0 }
            if let lenD = argNumber(args, 2) {
                if lenD <= 0 { return .string("") }
                let end = start >= 0 ? start + lenD : Double(count) + start + lenD
                return .string(codePointSlice(s, jsInt(start), jsInt(end), count: count))
            }
            return .string(codePointSlice(s, jsInt(start), nil, count: count))
        },
        Builtin("substringBefore", "<s-s:s>") { _, args, _, _ in
            guard let s = argString(args, 0) else { return nil }
            guard let chars = argString(args, 1) else { return .string(s) }
            if let r = findSubstring(s, chars) { return .string(String(s[..<r.lowerBound])) }
            return .string(s)
        },
        Builtin("substringAfter", "<s-s:s>") { _, args, _, _ in
            guard let s = argString(args, 0) else { return nil }
            guard let chars = argString(args, 1) else { return .string(s) }
            if let r = findSubstring(s, chars) { return .string(String(s[r.upperBound...])) }
            return .string(s)
        },
        Builtin("lowercase", "<s-:s>") { _, args, _, _ in
            argString(args, 0).map { .string($0.lowercased()) }
        },
        Builtin("uppercase", "<s-:s>") { _, args, _, _ in
            argString(args, 0).map { .string($0.uppercased()) }
        },
        Builtin("length", "<s-:n>") { _, args, _, _ in
            argString(args, 0).map { .number(Double(scalarCount($0))) }
        },
        Builtin("trim", "<s-:s>") { _, args, _, _ in
            guard let s = argString(args, 0) else { return nil }
            var out = ""
            var pendingSpace = false
            for u in s.unicodeScalars {
                if u == " " || u == "\t" || u == "\n" || u == "\r" {
                    pendingSpace = true
                } else {
                    if pendingSpace && !out.isEmpty { out += " " }
                    pendingSpace = false
                    out.unicodeScalars.append(u)
                }
            }
            return .string(out)
        },
        Builtin("pad", "<s-ns?:s>") { _, args, _, _ in
            guard let s = argString(args, 0) else { return nil }
            guard let widthD = argNumber(args, 1) else { return .string(s) }
            var ch = argString(args, 2) ?? " "
            if ch.isEmpty { ch = " " }
            // A width the reference cannot build either (JS strings stop at 2^29 - 24 units)
            // is refused, not attempted: it would exhaust memory.
            guard abs(widthD) <= 1e7 else { throw JSONataError(code: "U1003", position: -1, value: .number(widthD)) }
            let width = jsInt(widthD)
            let padLength = abs(width) - scalarCount(s)
            if padLength <= 0 { return .string(s) }
            var padding = String(repeating: ch, count: padLength)
            if ch.unicodeScalars.count > 1 { padding = codePointSlice(padding, 0, padLength) }
            return .string(width > 0 ? s + padding : padding + s)
        },
        Builtin("contains", "<s-(sf):b>") { ev, args, _, env in
            guard let s = argString(args, 0) else { return nil }
            guard let token = arg(args, 1) else { return nil }
            if case .json(.string(let t)) = token { return .bool(findSubstring(s, t) != nil) }
            var it = try MatchIterator(token, s, ev, env)
            return .bool(try it.first() != nil)
        },
        Builtin("split", "<s-(sf)n?:a<s>>") { ev, args, _, env in
            guard let s = argString(args, 0) else { return nil }
            var limit: Int?
            if let l = argNumber(args, 2) {
                if l < 0 { throw JSONataError(code: "D3020", position: -1, value: .number(l)) }
                limit = flooredInt(l)
            }
            var out = ContiguousArray<Value>()
            if let limit, limit == 0 { return .array(ArrayBox(out, sequence: false)) }
            guard let sep = arg(args, 1) else { return nil }
            if case .json(.string(let t)) = sep {
                var parts: [String]
                if t.isEmpty {
                    parts = s.utf16.map { String(decoding: [$0], as: UTF16.self) }
                    if s.utf16.count != s.unicodeScalars.count {
                        parts = s.unicodeScalars.map { String($0) }
                    }
                } else {
                    parts = s.components(separatedBy: t)
                }
                if let limit, parts.count > limit { parts = Array(parts[..<limit]) }
                for p in parts { out.append(.string(p)) }
                return .array(ArrayBox(out, sequence: false))
            }
            let ns = s as NSString
            var it = try MatchIterator(sep, s, ev, env)
            var m = try it.first()
            if m == nil {
                out.append(.string(s))
                return .array(ArrayBox(out, sequence: false))
            }
            var start = 0
            var count = 0
            while let mm = m, limit == nil || count < limit! {
                out.append(.string(ns.substring(with: NSRange(location: start, length: max(0, mm.start - start)))))
                start = mm.end
                m = try it.next()
                count += 1
            }
            if limit == nil || count < limit! {
                out.append(.string(ns.substring(from: min(start, ns.length))))
            }
            return .array(ArrayBox(out, sequence: false))
        },
        Builtin("join", "<a<s>s?:s>") { _, args, _, _ in
            guard let a = arg(args, 0) else { return nil }
            let sep = argString(args, 1) ?? ""
            // the signature has made every item a string
            switch a {
            case .json(.array(let items)):
                return .string(joinedStrings(items.count, separator: sep) { i in
                    if case .string(let str) = items[i] { return str }
                    return ""
                })
            case .array(let box):
                let items = box.items
                return .string(joinedStrings(items.count, separator: sep) { i in
                    if case .json(.string(let str)) = items[i] { return str }
                    return ""
                })
            case .json(.string(let str)):
                return .string(str)
            default:
                return .string("")
            }
        },
        Builtin("match", "<s-f<s:o>n?:a<o>>") { ev, args, _, env in
            guard let s = argString(args, 0) else { return nil }
            var limit: Int?
            if let l = argNumber(args, 2) {
                if l < 0 { throw JSONataError(code: "D3040", position: -1, value: .number(l)) }
                limit = flooredInt(l)
            }
            var out = ContiguousArray<Value>()
            if let limit, limit == 0 { return .sequence(out) }
            guard let matcher = arg(args, 1) else { return nil }
            var it = try MatchIterator(matcher, s, ev, env)
            var m = try it.first()
            var count = 0
            while let mm = m, limit == nil || count < limit! {
                var d = OrderedDictionary<String, JSONValue>()
                d["match"] = .string(mm.match)
                d["index"] = .number(Double(mm.start))
                d["groups"] = .array(mm.groups.map { $0.toJSON() ?? .null })
                out.append(.json(.object(d)))
                m = try it.next()
                count += 1
            }
            return .sequence(out)
        },
        Builtin("replace", "<s-(sf)(sf)n?:s>") { ev, args, _, env in
            guard let s = argString(args, 0) else { return nil }
            guard let pattern = arg(args, 1) else { return nil }
            if case .json(.string(let p)) = pattern, p.isEmpty {
                throw JSONataError(code: "D3010", position: -1, value: .string(p))
            }
            var limit: Int?
            if let l = argNumber(args, 3) {
                if l < 0 { throw JSONataError(code: "D3011", position: -1, value: .number(l)) }
                limit = flooredInt(l)
            }
            guard let replacement = arg(args, 2) else { return nil }
            if let limit, limit == 0 { return .string(s) }
            if case .json(.string(let p)) = pattern {
                let rep = replacement.stringValue ?? ""
                return .string(replaceLiteral(s, p, rep, limit: limit))
            }
            let ns = s as NSString
            var it = try MatchIterator(pattern, s, ev, env)
            var m = try it.first()
            if m == nil { return .string(s) }
            var out = ""
            var position = 0
            var count = 0
            while let mm = m, limit == nil || count < limit! {
                out += ns.substring(with: NSRange(location: position, length: max(0, mm.start - position)))
                if case .json(.string(let rep)) = replacement {
                    out += substituteGroups(rep, mm)
                } else {
                    var obj = OrderedDictionary<String, JSONValue>()
                    obj["match"] = .string(mm.match)
                    obj["index"] = .number(Double(mm.start))
                    obj["groups"] = .array(mm.groups.map { $0.toJSON() ?? .null })
                    let r = try ev.call(replacement, [.json(.object(obj))], env)
                    guard case .json(.string(let rs))? = r else {
                        throw JSONataError(code: "D3012", position: -1, value: r?.toJSON())
                    }
                    out += rs
                }
                position = mm.start + (mm.match as NSString).length
                count += 1
                m = try it.next()
            }
            out += ns.substring(from: min(position, ns.length))
            return .string(out)
        },
        Builtin("base64encode", "<s-:s>") { _, args, _, _ in
            argString(args, 0).map { .string(Data($0.utf8).base64EncodedString()) }
        },
        Builtin("base64decode", "<s-:s>") { _, args, _, _ in
            guard let s = argString(args, 0) else { return nil }
            var t = s
            while t.count % 4 != 0 { t += "=" }
            guard let d = Data(base64Encoded: t) else { return .string("") }
            return .string(String(decoding: d, as: UTF8.self))
        },
        Builtin("encodeUrlComponent", "<s-:s>") { _, args, _, _ in
            guard let s = argString(args, 0) else { return nil }
            return .string(percentEncode(s, keep: uriUnreserved))
        },
        Builtin("encodeUrl", "<s-:s>") { _, args, _, _ in
            guard let s = argString(args, 0) else { return nil }
            return .string(percentEncode(s, keep: uriUnreserved.union(Set(";,/?:@&=+$#".unicodeScalars))))
        },
        Builtin("decodeUrlComponent", "<s-:s>") { _, args, _, _ in
            guard let s = argString(args, 0) else { return nil }
            guard let d = percentDecode(s, reserved: []) else {
                throw JSONataError(code: "D3140", position: -1, value: .string(s), message: "Malformed URL passed to $decodeUrlComponent(): \(JSONValue.string(s).serialized())")
            }
            return .string(d)
        },
        Builtin("decodeUrl", "<s-:s>") { _, args, _, _ in
            guard let s = argString(args, 0) else { return nil }
            guard let d = percentDecode(s, reserved: Set(";,/?:@&=+$#".utf8)) else {
                throw JSONataError(code: "D3140", position: -1, value: .string(s), message: "Malformed URL passed to $decodeUrl(): \(JSONValue.string(s).serialized())")
            }
            return .string(d)
        },
    ]

    static func substituteGroups(_ replacement: String, _ m: MatchInfo) -> String {
        let rep = Array(replacement.utf16)
        var out: [UInt16] = []
        var position = 0
        while position < rep.count {
            guard let index = rep[position...].firstIndex(of: u("$")) else { break }
            out.append(contentsOf: rep[position..<index])
            position = index + 1
            let next: UInt16 = position < rep.count ? rep[position] : 0
            if next == u("$") {
                out.append(u("$"))
                position += 1
            } else if next == u("0") {
                out.append(contentsOf: m.match.utf16)
                position += 1
            } else {
                let groupCount = m.groups.count
                let maxDigits = groupCount == 0 ? 1 : Int(floor(log10(Double(groupCount)))) + 1
                func parse(_ n: Int) -> Int? {
                    var v = 0
                    var any = false
                    var i = position
                    while i < rep.count && i < position + n && isDigit(rep[i]) {
                        v = v * 10 + Int(rep[i] - 0x30)
                        any = true
                        i += 1
                    }
                    return any ? v : nil
                }
                var idx = parse(maxDigits)
                if maxDigits > 1, let i = idx, i > groupCount { idx = parse(maxDigits - 1) }
                if let i = idx {
                    if groupCount > 0, i >= 1, i <= groupCount, let g = m.groups[i - 1].stringValue {
                        out.append(contentsOf: g.utf16)
                    }
                    position += String(i).count
                } else {
                    out.append(u("$"))
                }
            }
        }
        if position < rep.count { out.append(contentsOf: rep[position...]) }
        return String(decoding: out, as: UTF16.self)
    }
}

let uriUnreserved: Set<Unicode.Scalar> = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()".unicodeScalars)

func percentEncode(_ s: String, keep: Set<Unicode.Scalar>) -> String {
    var out = ""
    for u in s.unicodeScalars {
        if keep.contains(u) {
            out.unicodeScalars.append(u)
        } else {
            for b in String(u).utf8 { out += String(format: "%%%02X", b) }
        }
    }
    return out
}

func percentDecode(_ s: String, reserved: Set<UInt8>) -> String? {
    let bytes = Array(s.utf8)
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
        if bytes[i] == UInt8(ascii: "%") {
            guard i + 2 < bytes.count, let h = hexValue(UInt16(bytes[i + 1])), let l = hexValue(UInt16(bytes[i + 2])) else { return nil }
            let b = UInt8(h * 16 + l)
            if reserved.contains(b) {
                out.append(contentsOf: bytes[i...(i + 2)])
            } else {
                out.append(b)
            }
            i += 3
        } else {
            out.append(bytes[i])
            i += 1
        }
    }
    guard let str = String(validating: out, as: UTF8.self) else { return nil }
    return str
}

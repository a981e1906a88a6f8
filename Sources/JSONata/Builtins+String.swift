import Foundation
import OrderedCollections

/// Finds `needle` in `haystack` (by UTF-8 code units, equivalent to code point matching).
func findSubstring(_ haystack: String, _ needle: String) -> Range<String.Index>? {
    if needle.isEmpty { return haystack.startIndex..<haystack.startIndex }
    var h = haystack, n = needle
    return h.withUTF8 { hb -> Range<String.Index>? in
        n.withUTF8 { nb -> Range<String.Index>? in
            let hc = hb.count, nc = nb.count
            if nc > hc { return nil }
            let first = nb[0]
            let base = UnsafeRawPointer(hb.baseAddress!)
            var i = 0
            while i <= hc - nc {
                // memchr finds candidate first bytes much faster than a byte loop
                guard let p = memchr(base + i, Int32(first), hc - nc - i + 1) else { return nil }
                i = UnsafeRawPointer(p) - base
                var j = 1
                while j < nc && hb[i + j] == nb[j] { j += 1 }
                if j == nc {
                    // utf8 offsets from startIndex are O(1) on native strings (building the
                    // start via `utf16Offset:` went through a slow generic path)
                    let a = haystack.utf8.index(haystack.utf8.startIndex, offsetBy: i)
                    let b = haystack.utf8.index(a, offsetBy: nc)
                    return a..<b
                }
                i += 1
            }
            return nil
        }
    }
}

/// The `count` texts `part` gives, joined with `separator` (gathered first, to size the result once).
@inline(__always) func joinedStrings(_ count: Int, separator: String, _ part: (Int) -> String) -> String {
    withUnsafeTemporaryAllocation(of: String.self, capacity: count) { buffer in
        let base = buffer.baseAddress!
        var length = separator.utf8.count &* max(count &- 1, 0)
        for index in 0..<count {
            let text = part(index)
            length &+= text.utf8.count
            (base + index).initialize(to: text)
        }
        defer { base.deinitialize(count: count) }
        return joined(UnsafeBufferPointer(start: base, count: count), separator: separator, length: length)
    }
}

/// Copies the UTF-8 bytes of `s` to `destination` (room for them is the caller's); returns how many.
@inline(__always) func writeUTF8(_ s: String, to destination: UnsafeMutablePointer<UInt8>) -> Int {
    if let count = s.utf8.withContiguousStorageIfAvailable({ bytes -> Int in
        if let start = bytes.baseAddress { destination.initialize(from: start, count: bytes.count) }
        return bytes.count
    }) {
        return count
    }
    var count = 0
    for byte in s.utf8 {
        destination[count] = byte
        count &+= 1
    }
    return count
}

/// Number of Unicode code points (what the reference's `$length` counts).
func scalarCount(_ s: String) -> Int {
    var str = s
    return str.withUTF8 { b -> Int in
        guard let base = b.baseAddress else { return 0 }
        return b.count &- continuationBytes(UnsafeRawPointer(base), b.count)
    }
}

/// Continuation bytes (`10xxxxxx`) among the `n` bytes at `base`, counted eight at a time:
/// every code point has exactly one byte that is not a continuation byte.
@inline(__always) func continuationBytes(_ base: UnsafeRawPointer, _ n: Int) -> Int {
    var count = 0
    var i = 0
    while i &+ 8 <= n {
        count &+= continuationBits(base.loadUnaligned(fromByteOffset: i, as: UInt64.self)).nonzeroBitCount
        i &+= 8
    }
    while i < n {
        if base.load(fromByteOffset: i, as: UInt8.self) & 0xC0 == 0x80 { count &+= 1 }
        i &+= 1
    }
    return count
}

/// Bit 7 set in each byte of `word` that is a continuation byte (bit 7 set, bit 6 clear).
@inline(__always) func continuationBits(_ word: UInt64) -> UInt64 {
    word & ~(word << 1) & 0x8080_8080_8080_8080
}

/// Byte offset of code point number `k` (0-based) in the `n` UTF-8 bytes at `base`, or `n`
/// when there are no more than `k` code points.
func byteOffset(ofScalar k: Int, _ base: UnsafeRawPointer, _ n: Int) -> Int {
    var remaining = k
    var i = 0
    // skip whole words while they hold fewer code point starts than are left to skip
    while i &+ 8 <= n {
        let starts = 8 &- continuationBits(base.loadUnaligned(fromByteOffset: i, as: UInt64.self)).nonzeroBitCount
        if starts > remaining { break }
        remaining &-= starts
        i &+= 8
    }
    while i < n {
        if base.load(fromByteOffset: i, as: UInt8.self) & 0xC0 != 0x80 {
            if remaining == 0 { return i }
            remaining &-= 1
        }
        i &+= 1
    }
    return n
}

/// Replaces every (or the first `limit`) occurrence of `pattern` in `s`, comparing UTF-8 bytes.
///
/// The result is made without copying through an array first: ASCII text is written once into
/// the new string's storage (checking ASCII again is cheap), other text is appended piece by
/// piece from `s` itself, whose bytes are known to be valid (checking UTF-8 again costs some 11
/// instructions a byte).
func replaceLiteral(_ s: String, _ pattern: String, _ replacement: String, limit: Int?) -> String {
    var hay = s, pat = pattern, rep = replacement
    // where the matches start, and whether the text is ASCII throughout
    let (matches, ascii): (ContiguousArray<Int>, Bool) = hay.withUTF8 { h in
        pat.withUTF8 { p in
            let n = h.count, m = p.count
            var found = ContiguousArray<Int>()
            guard m > 0, m <= n else { return (found, false) }
            let base = UnsafeRawPointer(h.baseAddress!)
            var i = 0
            while i + m <= n && (limit == nil || found.count < limit!) {
                // memchr finds the next candidate first byte much faster than a byte loop
                guard let candidate = memchr(base + i, Int32(p[0]), n - m - i + 1) else { break }
                i = UnsafeRawPointer(candidate) - base
                var j = 1
                while j < m && h[i + j] == p[j] { j += 1 }
                if j < m {
                    i += 1
                    continue
                }
                // room for several at once: growing one at a time reallocated at 1, 2 and 4
                if found.isEmpty { found.reserveCapacity(8) }
                found.append(i)
                i += m
            }
            return (found, !found.isEmpty && isASCII(h) && rep.utf8.allSatisfy { $0 < 0x80 })
        }
    }
    if matches.isEmpty { return s }
    let m = pat.utf8.count
    let length = hay.utf8.count &+ matches.count &* (rep.utf8.count &- m)
    if ascii {
        return hay.withUTF8 { h in
            rep.withUTF8 { r in
                String(unsafeUninitializedCapacity: length) { out in
                    var written = 0, start = 0
                    func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
                        if let from = bytes.baseAddress, !bytes.isEmpty {
                            (out.baseAddress! + written).initialize(from: from, count: bytes.count)
                        }
                        written &+= bytes.count
                    }
                    for at in matches {
                        copy(UnsafeBufferPointer(rebasing: h[start..<at]))
                        copy(r)
                        start = at &+ m
                    }
                    copy(UnsafeBufferPointer(rebasing: h[start...]))
                    return written
                }
            }
        }
    }
    var out = String()
    out.reserveCapacity(length)
    let utf8 = hay.utf8
    var start = utf8.startIndex
    for at in matches {
        let matchStart = utf8.index(utf8.startIndex, offsetBy: at)
        out.append(contentsOf: hay[start..<matchStart])
        out.append(rep)
        start = utf8.index(matchStart, offsetBy: m)
    }
    out.append(contentsOf: hay[start...])
    return out
}

/// Whether every byte is below 0x80, read eight at a time.
@inline(__always) func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    var high: UInt64 = 0
    var i = 0
    while i &+ 8 <= bytes.count {
        high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        i &+= 8
    }
    while i < bytes.count {
        high |= UInt64(bytes[i])
        i &+= 1
    }
    return high & 0x8080_8080_8080_8080 == 0
}

/// The code points of `s` from `start` up to `end` (nil: to the end), both counted from the
/// start and at least 0, past the end meaning the end: found by counting code points only as far
/// as the slice reaches, where `codePointSlice(_:_:_:count:)` counts them all first.
func codePointSlice(_ s: String, from start: Int, to end: Int?) -> String {
    var str = s
    var ascii = false
    let bytes: Range<Int> = str.withUTF8 { buf in
        guard let base = buf.baseAddress else { return 0..<0 }
        let raw = UnsafeRawPointer(base)
        let from = byteOffset(ofScalar: start, raw, buf.count)
        let to = end.map { from + byteOffset(ofScalar: Swift.max($0 - start, 0), raw + from, buf.count - from) } ?? buf.count
        ascii = isASCII(UnsafeBufferPointer(rebasing: buf[from..<to]))
        return from..<to
    }
    if bytes.isEmpty { return "" }
    if bytes.lowerBound == 0 && bytes.upperBound == str.utf8.count { return s }
    return slice(&str, bytes, ascii: ascii)
}

/// The bytes `bytes` of `str` (on code point boundaries) as a string: ASCII is decoded (checking
/// it again is cheap), other text copied as a slice of the string, whose bytes are not checked
/// again (some 11 instructions a byte).
private func slice(_ str: inout String, _ bytes: Range<Int>, ascii: Bool) -> String {
    if ascii { return str.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[bytes]), as: UTF8.self) } }
    let utf8 = str.utf8
    let from = utf8.index(utf8.startIndex, offsetBy: bytes.lowerBound)
    return String(str[from..<utf8.index(from, offsetBy: bytes.count)])
}

/// JavaScript-style slice over Unicode code points (the reference uses `Array.from(str)`).
func codePointSlice(_ s: String, _ start: Int, _ end: Int?, count knownCount: Int? = nil) -> String {
    let count = knownCount ?? scalarCount(s)
    var a = start < 0 ? max(count + start, 0) : min(start, count)
    var b = end.map { $0 < 0 ? max(count + $0, 0) : min($0, count) } ?? count
    if a > count { a = count }
    if b < a { b = a }
    if a == 0 && b == count { return s }
    var str = s
    var ascii = false
    let bytes: Range<Int>? = str.withUTF8 { buf in
        guard let base = buf.baseAddress else { return nil }
        if count == buf.count {
            // ASCII: code points are bytes
            ascii = true
            return a..<b
        }
        let raw = UnsafeRawPointer(base)
        let from = byteOffset(ofScalar: a, raw, buf.count)
        return from..<(from + byteOffset(ofScalar: b - a, raw + from, buf.count - from))
    }
    guard let bytes else { return "" }
    return slice(&str, bytes, ascii: ascii)
}

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
            var start = jsInt(argNumber(args, 1) ?? 0)
            if start >= 0 {
                // counted from the start: code points are counted only as far as the slice reaches
                guard let lenD = argNumber(args, 2) else { return .string(codePointSlice(s, from: start, to: nil)) }
                if lenD <= 0 { return .string("") }
                return .string(codePointSlice(s, from: start, to: start + jsInt(lenD)))
            }
            let count = scalarCount(s)
            if count + start < 0 { start = 0 }
            if let lenD = argNumber(args, 2) {
                if lenD <= 0 { return .string("") }
                let len = jsInt(lenD)
                let end = start >= 0 ? start + len : count + start + len
                return .string(codePointSlice(s, start, end, count: count))
            }
            return .string(codePointSlice(s, start, nil, count: count))
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

import Foundation
import OrderedCollections

/// Translates JavaScript regular expression syntax to ICU (NSRegularExpression).
enum RegexTranslator {
    static func compile(pattern: String, flags: String, position: Int) throws -> RegexBox {
        var icu = translate(pattern, multiline: flags.contains("m"))
        if icu.contains("(?<") == false { icu = icu.replacingOccurrences(of: "\\/", with: "/") }
        var options: NSRegularExpression.Options = []
        if flags.contains("i") { options.insert(.caseInsensitive) }
        if flags.contains("m") { options.insert(.anchorsMatchLines) }
        do {
            let re = try NSRegularExpression(pattern: icu, options: options)
            return RegexBox(regex: re, pattern: pattern, caseSensitive: !flags.contains("i") && !flags.contains("m"))
        } catch {
            throw JSONataError(code: "S0301", position: position, token: pattern, message: "Invalid regular expression: /\(pattern)/")
        }
    }
}

extension RegexTranslator {
    /// Rewrites the JavaScript-only constructs: `[^]` (any character) and, without the `m` flag,
    /// `$` (end of input only in JavaScript; ICU would also match before a final newline). The
    /// class escapes take JavaScript's meaning: `\d`, `\w` and `\b` are ASCII (ICU's are
    /// Unicode: `\w` would match "é" and `\d` Arabic-Indic digits), `\s` is JavaScript's list of
    /// spaces, and `[\b]` is a backspace.
    static func translate(_ pattern: String, multiline: Bool) -> String {
        var out = ""
        var inClass = false
        var escaped = false
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if escaped {
                // the backslash is already written; a class escape replaces it
                if let replacement = JavaScriptClassEscape.translation(of: c, inClass: inClass) {
                    out.removeLast()
                    out += replacement
                } else {
                    out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                out.append(c)
                escaped = true
            } else if inClass {
                if c == "]" { inClass = false }
                out.append(c)
            } else if c == "[" {
                if i + 2 < chars.count && chars[i + 1] == "^" && chars[i + 2] == "]" {
                    out += "[\\s\\S]"
                    i += 3
                    continue
                }
                if i + 1 < chars.count && chars[i + 1] == "]" {
                    // `[]` is an empty class in JavaScript: it never matches
                    out += "(?!)"
                    i += 2
                    continue
                }
                inClass = true
                out.append(c)
                if i + 1 < chars.count && chars[i + 1] == "^" { out.append("^"); i += 1 }
            } else if c == "$" && !multiline {
                out += "\\z"
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }
}

/// One match of a matcher: UTF-16 offsets like JavaScript's.
struct MatchInfo {
    var match: String
    var start: Int
    var end: Int
    var groups: [Value]
}

/// Iterates matches of a regex or of a custom matcher function, following the reference's
/// `next()` protocol (including the D1004 check on zero-length follow-up matches).
struct MatchIterator {
    enum Source {
        case regex(RegexBox, String)
        case custom(Value?)
    }
    var source: Source
    var lastIndex = 0
    unowned let ev: Evaluator
    let env: Frame

    init(_ matcher: Value, _ str: String, _ ev: Evaluator, _ env: Frame) throws {
        self.ev = ev
        self.env = env
        if case .function(let f) = matcher, case .regex(let r) = f.kind {
            source = .regex(r, str)
        } else {
            let first = try ev.call(matcher, [.string(str)], env)
            source = .custom(first)
        }
    }

    mutating func first() throws -> MatchInfo? {
        switch source {
        case .regex(let r, let str):
            return exec(r, str, from: 0)
        case .custom(let v):
            return try MatchIterator.decode(v)
        }
    }

    mutating func next() throws -> MatchInfo? {
        switch source {
        case .regex(let r, let str):
            if lastIndex >= str.utf16.count { return nil }
            guard let m = exec(r, str, from: lastIndex) else { return nil }
            if m.match.isEmpty {
                throw JSONataError(code: "D1004", position: -1, value: .string(r.pattern))
            }
            return m
        case .custom(let v):
            guard let v, let nextFn = v.member("next"), nextFn.isFunction else { return nil }
            let n = try ev.call(nextFn, [], env)
            source = .custom(n)
            return try MatchIterator.decode(n)
        }
    }

    mutating func exec(_ r: RegexBox, _ str: String, from: Int) -> MatchInfo? {
        if r.literal != nil {
            guard let (a, b) = r.literalMatch(str, from: from) else { return nil }
            lastIndex = b
            return MatchInfo(match: r.literal!, start: a, end: b, groups: [])
        }
        let ns = str as NSString
        guard from <= ns.length,
            let m = r.regex.firstMatch(in: ns as String, options: RegexBox.searchFromOffset, range: NSRange(location: from, length: ns.length - from))
        else { return nil }
        let range = m.range
        var groups: [Value] = []
        if m.numberOfRanges > 1 {
            for g in 1..<m.numberOfRanges {
                let gr = m.range(at: g)
                groups.append(gr.location == NSNotFound ? .string("") : .string(ns.substring(with: gr)))
            }
        }
        lastIndex = range.location + range.length
        return MatchInfo(match: ns.substring(with: range), start: range.location, end: range.location + range.length, groups: groups)
    }

    static func decode(_ v: Value?) throws -> MatchInfo? {
        guard let v else { return nil }
        guard v.isObject else { throw JSONataError(code: "T1010", position: -1) }
        let start = v.member("start")?.numberValue
        let end = v.member("end")?.numberValue
        let groups = v.member("groups")
        let next = v.member("next")
        if start == nil && end == nil && !(groups?.isArray ?? false) && !(next?.isFunction ?? false) {
            throw JSONataError(code: "T1010", position: -1)
        }
        return MatchInfo(match: v.member("match")?.stringValue ?? "", start: jsInt(start ?? 0), end: jsInt(end ?? 0),
                         groups: groups?.arrayElements.map { Array($0) } ?? [])
    }
}

extension Evaluator {
    /// The object a regex literal returns when called as a function: match, start, end, groups, next.
    func regexMatchObject(_ r: RegexBox, _ s: String, from: Int) throws -> Value? {
        let ns = s as NSString
        guard from <= ns.length,
            let m = r.regex.firstMatch(in: s, options: RegexBox.searchFromOffset, range: NSRange(location: from, length: ns.length - from))
        else { return nil }
        var groups = ContiguousArray<Value>()
        if m.numberOfRanges > 1 {
            for g in 1..<m.numberOfRanges {
                let gr = m.range(at: g)
                groups.append(gr.location == NSNotFound ? .string("") : .string(ns.substring(with: gr)))
            }
        }
        let end = m.range.location + m.range.length
        var d = OrderedDictionary<String, Value>()
        d["match"] = .string(ns.substring(with: m.range))
        d["start"] = .number(Double(m.range.location))
        d["end"] = .number(Double(end))
        d["groups"] = .array(ArrayBox(groups, sequence: false))
        d["next"] = .function(FunctionBox(.native(0, { [unowned self] _ in
            if end >= ns.length { return nil }
            let n = try self.regexMatchObject(r, s, from: end)
            if let n, n.member("match")?.stringValue == "" {
                throw JSONataError(code: "D1004", position: -1, value: .string(r.pattern))
            }
            return n
        })))
        return .object(ObjectBox(d))
    }
}

/// JavaScript's class escapes written for ICU (without the `u` flag, as the reference compiles
/// its regular expressions).
enum JavaScriptClassEscape {
    static let digit = "0-9"
    static let word = "A-Za-z0-9_"
    /// JavaScript's white space and line terminators (ICU's `\s` leaves out U+000B and U+FEFF).
    static let space = "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}"

    /// What `\c` becomes, or nil to keep it as written.
    static func translation(of c: Character, inClass: Bool) -> String? {
        switch c {
        case "d": return inClass ? digit : "[\(digit)]"
        case "D": return "[^\(digit)]"
        case "w": return inClass ? word : "[\(word)]"
        case "W": return "[^\(word)]"
        case "s": return inClass ? space : "[\(space)]"
        case "S": return "[^\(space)]"
        case "b":
            if inClass { return "\\x{08}" }
            return "(?:(?<=[\(word)])(?![\(word)])|(?<![\(word)])(?=[\(word)]))"
        case "B":
            if inClass { return nil }
            return "(?:(?<=[\(word)])(?=[\(word)])|(?<![\(word)])(?![\(word)]))"
        default: return nil
        }
    }
}

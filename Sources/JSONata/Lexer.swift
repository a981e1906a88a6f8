import Foundation

/// One lexical token of a JSONata expression.
struct Token {
    enum Kind: Equatable { case op, name, variable, string, number, value, regex, end }
    var kind: Kind
    /// Operator text, name, variable name or string literal value.
    var text: String = ""
    var number: Double = 0
    var literal: JSONValue = .null
    var regexPattern: String = ""
    var regexFlags: String = ""
    /// Offset (UTF-16 units) where the token starts.
    var start: Int = 0
    /// Offset (UTF-16 units) just past the token, as the reference reports it.
    var position: Int
}

/// Splits expression source into tokens; positions are UTF-16 offsets like JavaScript's.
struct Lexer {
    let src: [UInt16]
    var position = 0

    init(_ source: String) { src = Array(source.utf16) }

    static let operatorChars: Set<UInt16> = Set(".[]{}(),@#;:?+-*/%|=<>^&!~".utf16)

    func char(_ i: Int) -> UInt16 { i < src.count ? src[i] : 0 }

    func text(_ from: Int, _ to: Int) -> String { String(decoding: src[from..<to], as: UTF16.self) }

    static func isSpace(_ c: UInt16) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B }

    mutating func next(prefix: Bool) throws -> Token? {
        while position < src.count && Lexer.isSpace(src[position]) { position += 1 }
        let tokenStart = position
        guard var t = try scan(prefix: prefix) else { return nil }
        if t.kind != .end && t.start == 0 { t.start = tokenStart }
        return t
    }

    mutating func scan(prefix: Bool) throws -> Token? {
        while position < src.count && Lexer.isSpace(src[position]) { position += 1 }
        if position >= src.count { return nil }
        let c = src[position]
        if c == u("/") && char(position + 1) == u("*") {
            let start = position
            position += 2
            while !(char(position) == u("*") && char(position + 1) == u("/")) {
                position += 1
                if position >= src.count { throw JSONataError(code: "S0106", position: start) }
            }
            position += 2
            return try next(prefix: prefix)
        }
        if !prefix && c == u("/") {
            position += 1
            return try scanRegex()
        }
        let two: [(UInt16, UInt16, String)] = [
            (u("."), u("."), ".."), (u(":"), u("="), ":="), (u("!"), u("="), "!="), (u(">"), u("="), ">="),
            (u("<"), u("="), "<="), (u("*"), u("*"), "**"), (u("~"), u(">"), "~>"), (u("?"), u(":"), "?:"),
            (u("?"), u("?"), "??"),
        ]
        let c1 = char(position + 1)
        for (a, b, s) in two where c == a && c1 == b {
            position += 2
            return Token(kind: .op, text: s, position: position)
        }
        if Lexer.operatorChars.contains(c) {
            position += 1
            return Token(kind: .op, text: String(UnicodeScalar(UInt8(c))), position: position)
        }
        if c == u("\"") || c == u("'") {
            let quote = c
            position += 1
            var out: [UInt16] = []
            while position < src.count {
                var ch = src[position]
                if ch == u("\\") {
                    position += 1
                    ch = char(position)
                    switch ch {
                    case u("\""): out.append(ch)
                    case u("\\"): out.append(ch)
                    case u("/"): out.append(ch)
                    case u("b"): out.append(8)
                    case u("f"): out.append(12)
                    case u("n"): out.append(10)
                    case u("r"): out.append(13)
                    case u("t"): out.append(9)
                    case u("u"):
                        var v: UInt16 = 0
                        var ok = position + 4 < src.count
                        if ok {
                            for k in 1...4 {
                                let h = src[position + k]
                                guard let d = hexValue(h) else { ok = false; break }
                                v = v &* 16 &+ d
                            }
                        }
                        if !ok { throw JSONataError(code: "S0104", position: position) }
                        out.append(v)
                        position += 4
                    default:
                        throw JSONataError(code: "S0103", position: position, token: String(decoding: [ch], as: UTF16.self))
                    }
                } else if ch == quote {
                    position += 1
                    return Token(kind: .string, text: String(decoding: out, as: UTF16.self), position: position)
                } else {
                    out.append(ch)
                }
                position += 1
            }
            throw JSONataError(code: "S0101", position: position)
        }
        if c >= u("0") && c <= u("9") || (c == u("-") && char(position + 1) >= u("0") && char(position + 1) <= u("9")) {
            var i = position
            if src[i] == u("-") { i += 1 }
            if char(i) == u("0") { i += 1 } else { while isDigit(char(i)) { i += 1 } }
            if char(i) == u(".") && isDigit(char(i + 1)) {
                i += 1
                while isDigit(char(i)) { i += 1 }
            }
            if char(i) == u("e") || char(i) == u("E") {
                var j = i + 1
                if char(j) == u("+") || char(j) == u("-") { j += 1 }
                if isDigit(char(j)) {
                    while isDigit(char(j)) { j += 1 }
                    i = j
                }
            }
            let t = text(position, i)
            let d = Double(t) ?? .nan
            if d.isFinite {
                position = i
                return Token(kind: .number, number: d, position: position)
            }
            throw JSONataError(code: "S0102", position: position, token: t)
        }
        if c == u("`") {
            position += 1
            if let end = src[position...].firstIndex(of: u("`")) {
                let name = text(position, end)
                position = end + 1
                return Token(kind: .name, text: name, position: position)
            }
            position = src.count
            throw JSONataError(code: "S0105", position: position)
        }
        var i = position
        while i < src.count && !Lexer.isSpace(src[i]) && !Lexer.operatorChars.contains(src[i]) { i += 1 }
        if c == u("$") {
            let name = text(position + 1, i)
            position = i
            return Token(kind: .variable, text: name, position: position)
        }
        let name = text(position, i)
        position = i
        switch name {
        case "or", "in", "and": return Token(kind: .op, text: name, position: position)
        case "true": return Token(kind: .value, literal: .bool(true), position: position)
        case "false": return Token(kind: .value, literal: .bool(false), position: position)
        case "null": return Token(kind: .value, literal: .null, position: position)
        default:
            if position == src.count && name.isEmpty { return nil }
            return Token(kind: .name, text: name, position: position)
        }
    }

    mutating func scanRegex() throws -> Token {
        let start = position
        var depth = 0
        while position < src.count {
            let ch = src[position]
            if ch == u("/") && depth == 0 {
                var backslashes = 0
                while position - backslashes - 1 >= 0 && src[position - backslashes - 1] == u("\\") { backslashes += 1 }
                if backslashes % 2 == 0 {
                    let pattern = text(start, position)
                    if pattern.isEmpty { throw JSONataError(code: "S0301", position: position) }
                    position += 1
                    let fstart = position
                    while char(position) == u("i") || char(position) == u("m") { position += 1 }
                    let flags = text(fstart, position)
                    return Token(kind: .regex, regexPattern: pattern, regexFlags: flags, position: position)
                }
            }
            let prev = position > 0 ? src[position - 1] : 0
            if (ch == u("(") || ch == u("[") || ch == u("{")) && prev != u("\\") { depth += 1 }
            if (ch == u(")") || ch == u("]") || ch == u("}")) && prev != u("\\") { depth -= 1 }
            position += 1
        }
        throw JSONataError(code: "S0302", position: position)
    }
}

@inline(__always) func u(_ s: Unicode.Scalar) -> UInt16 { UInt16(s.value) }
@inline(__always) func isDigit(_ c: UInt16) -> Bool { c >= 0x30 && c <= 0x39 }
func hexValue(_ c: UInt16) -> UInt16? {
    switch c {
    case 0x30...0x39: return c - 0x30
    case 0x41...0x46: return c - 0x41 + 10
    case 0x61...0x66: return c - 0x61 + 10
    default: return nil
    }
}

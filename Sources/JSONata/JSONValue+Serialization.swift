extension JSONValue {
    /// JSON text as JavaScript's `JSON.stringify` writes it (numbers included); `pretty` indents by two spaces.
    public func serialized(pretty: Bool = false) -> String {
        var writer = JSONWriter(pretty: pretty, roundNumbers: false)
        writer.write(self, level: 0)
        return writer.out
    }

    /// UTF-8 bytes of `serialized(pretty:)`.
    public func serializedBytes(pretty: Bool = false) -> [UInt8] {
        Array(serialized(pretty: pretty).utf8)
    }
}

/// Writes JSON text; `roundNumbers` renders numbers as `$string` does (15 significant digits).
struct JSONWriter {
    var out = ""
    let pretty: Bool
    let roundNumbers: Bool

    init(pretty: Bool, roundNumbers: Bool) {
        self.pretty = pretty
        self.roundNumbers = roundNumbers
        out.reserveCapacity(256)
    }

    mutating func write(_ value: JSONValue, level: Int) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n):
            if !n.isFinite { out += "null" } else if roundNumbers { out += NumberText.string(n) ?? "null" } else { out += NumberText.json(n) }
        case .string(let s): JSONWriter.quote(s, into: &out)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "["
            for (i, e) in a.enumerated() {
                if i > 0 { out += "," }
                if pretty { newline(level + 1) }
                write(e, level: level + 1)
            }
            if pretty { newline(level) }
            out += "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{"
            var first = true
            for (k, v) in o {
                if !first { out += "," }
                first = false
                if pretty { newline(level + 1) }
                JSONWriter.quote(k, into: &out)
                out += pretty ? ": " : ":"
                write(v, level: level + 1)
            }
            if pretty { newline(level) }
            out += "}"
        }
    }

    mutating func newline(_ level: Int) {
        out += "\n"
        for _ in 0..<level { out += "  " }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        var needsEscape = false
        for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5C {
            needsEscape = true
            break
        }
        if !needsEscape {
            out += s
        } else {
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                default:
                    if u.value < 0x20 {
                        let hex = String(u.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(u)
                    }
                }
            }
        }
        out += "\""
    }
}

/// Splits a string into literal text and `${{ expression }}` parts.
///
/// The closing `}}` is found by reading the expression the way JSONata would: braces inside
/// it nest, and quotes, backtick names and comments are skipped, so an object constructor
/// such as `${{ {"a": {"b": 1}} }}` closes where its author meant.
enum TemplateScanner {
    /// One piece of a scanned string.
    enum Piece: Equatable {
        /// Literal text.
        case text(String)
        /// An expression: its source between the delimiters, and the character offset of that
        /// source in the scanned string.
        case expression(source: String, offset: Int)
    }

    /// Why a string is not a valid template; `offset` is the character where the problem starts.
    struct ScanError: Error, Equatable {
        var message: String
        var offset: Int
    }

    /// Whether `text` holds a template opener at all (the fast path for plain strings).
    static func containsTemplate(_ text: String) -> Bool {
        text.contains("${{")
    }

    /// Scans `text` into pieces.
    static func scan(_ text: String) throws(ScanError) -> [Piece] {
        let chars = Array(text)
        var pieces: [Piece] = []
        var literal = ""
        var index = 0
        while index < chars.count {
            if chars[index] == "$", index + 2 < chars.count, chars[index + 1] == "{", chars[index + 2] == "{" {
                let open = index
                let bodyStart = index + 3
                guard let close = findClose(chars, from: bodyStart) else {
                    throw ScanError(message: "'${{' is never closed; end the expression with '}}'", offset: open)
                }
                let source = String(chars[bodyStart..<close])
                if source.allSatisfy(\.isWhitespace) {
                    throw ScanError(message: "empty expression '${{ }}'; write an expression between the braces", offset: open)
                }
                if !literal.isEmpty { pieces.append(.text(literal)); literal = "" }
                pieces.append(.expression(source: source, offset: bodyStart))
                index = close + 2
                continue
            }
            literal.append(chars[index])
            index += 1
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        return pieces
    }

    /// The index of the `}}` that closes an expression starting at `start`, or nil.
    private static func findClose(_ chars: [Character], from start: Int) -> Int? {
        var depth = 0
        var index = start
        while index < chars.count {
            let char = chars[index]
            switch char {
            case "\"", "'", "`":
                index += 1
                while index < chars.count, chars[index] != char {
                    if chars[index] == "\\" && char != "`" { index += 1 }
                    index += 1
                }
            case "/" where index + 1 < chars.count && chars[index + 1] == "*":
                index += 2
                while index + 1 < chars.count, !(chars[index] == "*" && chars[index + 1] == "/") { index += 1 }
                index += 1
            case "{":
                depth += 1
            case "}":
                if depth == 0 {
                    return index + 1 < chars.count && chars[index + 1] == "}" ? index : nil
                }
                depth -= 1
            default:
                break
            }
            index += 1
        }
        return nil
    }
}

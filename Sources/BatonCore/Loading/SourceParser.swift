import Foundation
import Yams

/// Parses the text of a workflow file (YAML, or JSON, which YAML reads too) into a `SourceNode`
/// tree, turning every way the text can be unusable into one diagnostic with a location.
enum SourceParser {
    /// Largest workflow file accepted; a bigger one is almost certainly not a workflow.
    static let maxBytes = 1 << 20
    /// Deepest nesting accepted. Real workflows stay under ten; the limit keeps a hostile file
    /// from exhausting the stack of the recursive YAML composer.
    static let maxDepth = 64
    /// Most nodes accepted, counting aliases each time they are used (a "billion laughs" guard).
    static let maxNodes = 200_000

    /// Reads and parses `path`; `displayPath` is how messages name the file.
    static func parse(contentsOf path: String, displayPath: String) -> Result<(text: String, root: SourceNode), Diagnostic> {
        let start = SourceLocation.wholeFile(displayPath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(.error("no such file or directory; check the path", at: start))
        }
        if isDirectory.boolValue {
            return .failure(.error("is a directory, not a workflow file", at: start))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(.error("cannot read the file; check its permissions", at: start))
        }
        return parse(data: data, displayPath: displayPath)
    }

    /// Parses raw bytes; rejects files that are too large, binary, or not UTF-8.
    static func parse(data: Data, displayPath: String) -> Result<(text: String, root: SourceNode), Diagnostic> {
        let start = SourceLocation.wholeFile(displayPath)
        if data.count > maxBytes {
            return .failure(.error(
                "file is \(formatSize(data.count)); a workflow file may be at most 1 MiB, so split it or move data out of it",
                at: start))
        }
        if let nul = data.firstIndex(of: 0) {
            let location = locate(offset: nul - data.startIndex, in: data, file: displayPath)
            return .failure(.error("this is a binary file (it holds a NUL byte), not a YAML or JSON workflow", at: location))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(.error("file is not valid UTF-8 text; save it as UTF-8", at: start))
        }
        return parse(text: text, displayPath: displayPath).map { (text, $0) }
    }

    /// Parses text into the source tree.
    static func parse(text: String, displayPath: String) -> Result<SourceNode, Diagnostic> {
        if let tooDeep = findExcessiveNesting(in: text, file: displayPath) {
            return .failure(tooDeep)
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            return .failure(diagnostic(for: error, file: displayPath, text: text))
        } catch {
            return .failure(.error("invalid YAML: \(error)", at: SourceLocation(file: displayPath, line: 1, column: 1)))
        }
        guard let node else {
            return .failure(.error("file is empty; a workflow needs at least 'steps:'",
                                   at: SourceLocation(file: displayPath, line: 1, column: 1)))
        }
        var converter = Converter(file: displayPath)
        do throws(ConversionError) {
            return .success(try converter.convert(node, depth: 0))
        } catch {
            return .failure(error.diagnostic)
        }
    }

    // MARK: - Conversion

    private struct ConversionError: Error { var diagnostic: Diagnostic }

    /// Turns Yams nodes into `SourceNode`s, typing plain scalars by the YAML 1.2 core schema.
    private struct Converter {
        let file: String
        var count = 0

        init(file: String) { self.file = file }

        mutating func convert(_ node: Node, depth: Int) throws(ConversionError) -> SourceNode {
            let location = self.location(of: node)
            count += 1
            if count > SourceParser.maxNodes {
                throw ConversionError(diagnostic: .error(
                    "document has more than \(SourceParser.maxNodes) values (are aliases expanding?); simplify it",
                    at: location))
            }
            if depth > SourceParser.maxDepth {
                throw ConversionError(diagnostic: .error(
                    "values are nested more than \(SourceParser.maxDepth) levels deep; flatten the structure",
                    at: location))
            }
            switch node {
            case .scalar(let scalar):
                let plain = scalar.style == .plain
                let value = plain ? SourceParser.typePlainScalar(scalar.string) : .string(scalar.string)
                return SourceNode(.scalar(value, text: scalar.string, plain: plain), at: location)
            case .sequence(let sequence):
                var items: [SourceNode] = []
                items.reserveCapacity(sequence.count)
                for item in sequence {
                    items.append(try convert(item, depth: depth + 1))
                }
                return SourceNode(.sequence(items), at: location)
            case .mapping(let mapping):
                var entries: [SourceNode.Entry] = []
                var seen: [String: SourceLocation] = [:]
                for (key, value) in mapping {
                    let keyLocation = self.location(of: key)
                    guard case .scalar(let keyScalar) = key else {
                        throw ConversionError(diagnostic: .error(
                            "mapping keys must be plain names, not \(key.isMapping ? "mappings" : "lists")",
                            at: keyLocation))
                    }
                    let name = keyScalar.string
                    if name == "<<" && keyScalar.style == .plain {
                        throw ConversionError(diagnostic: .error(
                            "YAML merge keys ('<<') are not supported; write the values out, or share them through a connection",
                            at: keyLocation))
                    }
                    if let first = seen[name] {
                        throw ConversionError(diagnostic: .error(
                            "duplicate key '\(name)' (first written at line \(first.line)); remove one of them",
                            at: keyLocation))
                    }
                    seen[name] = keyLocation
                    entries.append(SourceNode.Entry(key: name, keyLocation: keyLocation,
                                                    value: try convert(value, depth: depth + 1)))
                }
                return SourceNode(.mapping(entries), at: location)
            case .alias(let alias):
                // Yams hands back unresolved aliases only when an anchor is missing.
                throw ConversionError(diagnostic: .error(
                    "alias '*\(alias.anchor.rawValue)' refers to no anchor; define '&\(alias.anchor.rawValue)' before using it",
                    at: location))
            }
        }

        func location(of node: Node) -> SourceLocation {
            let mark = node.mark
            return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
        }
    }

    /// Types a plain scalar by the YAML 1.2 core schema. YAML 1.1's `yes`, `no`, `on`, `off`
    /// stay strings, so a country code `NO` or a key `on` mean what they say.
    static func typePlainScalar(_ text: String) -> SourceNode.Scalar {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .number(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .number(-.infinity)
        case ".nan", ".NaN", ".NAN": return .number(.nan)
        default: break
        }
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
                || first == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return .string(text)
        }
        if text.hasPrefix("0x"), let value = Int(text.dropFirst(2), radix: 16) { return .number(Double(value)) }
        if text.hasPrefix("0o"), let value = Int(text.dropFirst(2), radix: 8) { return .number(Double(value)) }
        if isDecimalNumber(text), let value = Double(text) { return .number(value) }
        return .string(text)
    }

    /// `[-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`, the core schema's number.
    private static func isDecimalNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        func digits() -> Int {
            var n = 0
            while let byte = bytes.first, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                bytes = bytes.dropFirst(); n += 1
            }
            return n
        }
        let integerDigits = digits()
        var fractionDigits = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fractionDigits = digits()
        }
        guard integerDigits + fractionDigits > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    // MARK: - Errors from the YAML parser

    /// Turns a libyaml error into a diagnostic at its mark, with a hint for the common mistakes.
    static func diagnostic(for error: YamlError, file: String, text: String) -> Diagnostic {
        let location: (Mark) -> SourceLocation = { SourceLocation(file: file, line: $0.line, column: $0.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let line = mark.line >= 1 && mark.line <= lines.count ? lines[mark.line - 1] : ""
            if problem.contains("mapping values are not allowed"), line.contains("${{") {
                message += "; an expression that holds ': ' must be quoted, e.g. key: \"${{ a ? b : c }}\""
            } else {
                message += hint(for: problem)
            }
            return .error(message, at: location(mark))
        case .reader(let problem, _, _, _):
            return .error("invalid YAML: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let at = secondOccurrence(of: key, after: context.mark, in: text, file: file) ?? location(context.mark)
            return .error("duplicate key '\(key)' in this mapping; remove one of them", at: at)
        default:
            return .error("invalid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    /// Where a duplicated key is written the second time, in the block mapping that starts at `mark`.
    private static func secondOccurrence(of key: String, after mark: Mark, in text: String, file: String) -> SourceLocation? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = mark.column - 1
        var seen = 0
        for lineIndex in (mark.line - 1)..<lines.count {
            let line = lines[lineIndex]
            let prefix = line.prefix(indent)
            let rest = line.dropFirst(indent)
            let isBlank = line.allSatisfy { $0 == " " } || line.drop(while: { $0 == " " }).hasPrefix("#")
            if lineIndex > mark.line - 1, !isBlank, !prefix.allSatisfy({ $0 == " " }) { break }  // left the block
            guard prefix.allSatisfy({ $0 == " " }) || lineIndex == mark.line - 1 else { continue }
            if rest.hasPrefix(key + ":") || rest.hasPrefix("\"\(key)\":") || rest.hasPrefix("'\(key)':") {
                seen += 1
                if seen == 2 { return SourceLocation(file: file, line: lineIndex + 1, column: mark.column) }
            }
        }
        return nil
    }

    private static func hint(for problem: String) -> String {
        if problem.contains("mapping values are not allowed") {
            return "; check the indentation, and quote a value that contains ': '"
        }
        if problem.contains("found character that cannot start any token") {
            return "; tabs cannot indent YAML, use spaces (and quote values starting with '@' or '`')"
        }
        if problem.contains("did not find expected key") || problem.contains("did not find expected '-'") {
            return "; check that the entries of this block line up"
        }
        if problem.contains("found undefined tag") || problem.contains("found unexpected end of stream") {
            return "; check for an unclosed quote or bracket"
        }
        return ""
    }

    // MARK: - Guards

    /// Finds flow brackets or compact `- - -` sequences nested beyond `maxDepth` before the
    /// recursive composer sees them. Indentation-nested blocks are caught after composing:
    /// the size limit keeps them shallow enough to compose safely.
    static func findExcessiveNesting(in text: String, file: String) -> Diagnostic? {
        var depth = 0
        var line = 1
        var column = 0
        var quote: UInt8? = nil
        var escaped = false
        var inComment = false
        var atLineStart = true
        var dashRun = 0
        var previous: UInt8 = UInt8(ascii: "\n")
        for byte in text.utf8 {
            if byte & 0xC0 != 0x80 { column += 1 }
            if byte == UInt8(ascii: "\n") {
                line += 1; column = 0; inComment = false; atLineStart = true; dashRun = 0
                previous = byte
                continue
            }
            defer { previous = byte }
            if inComment { continue }
            if let open = quote {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") && open == UInt8(ascii: "\"") {
                    escaped = true
                } else if byte == open { quote = nil }
                continue
            }
            if atLineStart {
                if byte == UInt8(ascii: " ") { continue }
                if byte == UInt8(ascii: "-") {
                    dashRun += 1
                    if depth + dashRun > maxDepth {
                        return .error("values are nested more than \(maxDepth) levels deep; flatten the structure",
                                      at: SourceLocation(file: file, line: line, column: column))
                    }
                    continue
                }
                atLineStart = false
            }
            switch byte {
            case UInt8(ascii: "#") where previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\t") || column == 1:
                inComment = true
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                if previous == UInt8(ascii: " ") || previous == UInt8(ascii: "[") || previous == UInt8(ascii: "{")
                    || previous == UInt8(ascii: ",") || previous == UInt8(ascii: ":") || previous == UInt8(ascii: "\n")
                    || previous == UInt8(ascii: "-") {
                    quote = byte
                }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
            default:
                break
            }
            if depth + dashRun > maxDepth {
                return .error("values are nested more than \(maxDepth) levels deep; flatten the structure",
                              at: SourceLocation(file: file, line: line, column: column))
            }
        }
        return nil
    }

    /// The line and column of a byte offset, for errors found before parsing.
    private static func locate(offset: Int, in data: Data, file: String) -> SourceLocation {
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            // Bytes, not characters: what comes before a NUL is rarely text.
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    private static func formatSize(_ bytes: Int) -> String {
        let megabytes = Double(bytes) / 1_048_576
        return megabytes >= 1 ? String(format: "%.1f MiB", megabytes) : "\(bytes) bytes"
    }
}

private extension Node {
    var isMapping: Bool { if case .mapping = self { return true } else { return false } }
}

import Foundation

/// The lines of a workflow file, used to point diagnostics inside a scalar (at an expression,
/// or at the character of an expression where a syntax error is) rather than at its start.
struct SourceText: Sendable {
    /// The file's lines without their line breaks.
    let lines: [Substring]
    let file: String

    init(_ text: String, file: String) {
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        self.file = file
    }

    /// The location of the character at `offset` (in Unicode scalars) of a scalar's value.
    ///
    /// Quoting, escapes and folding mean the value is not always the source verbatim, so this
    /// looks for the text that starts at `offset` in the lines from the scalar onwards and falls
    /// back to the scalar's own location when the text was rewritten beyond recognition.
    func location(ofOffset offset: Int, in value: String, of node: SourceNode) -> SourceLocation {
        let scalars = Array(value.unicodeScalars)
        let clamped = min(max(offset, 0), scalars.count)
        var lineEnd = clamped
        while lineEnd < scalars.count, scalars[lineEnd] != "\n", lineEnd - clamped < 32 { lineEnd += 1 }
        var needle = String(String.UnicodeScalarView(scalars[clamped..<lineEnd]))
        var back = 0
        if needle.trimmingCharacters(in: .whitespaces).isEmpty {
            // Nothing distinctive after the offset (an error at the end of the value): find the
            // text just before it and step forward.
            var start = clamped
            while start > 0, scalars[start - 1] != "\n", clamped - start < 32 { start -= 1 }
            needle = String(String.UnicodeScalarView(scalars[start..<clamped]))
            back = clamped - start
            if needle.trimmingCharacters(in: .whitespaces).isEmpty { return node.location }
        }
        let valueLines = scalars.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
        let first = node.location.line - 1
        let last = min(lines.count - 1, first + valueLines * 2 + 8)
        guard first >= 0, first <= last else { return node.location }
        for lineIndex in first...last {
            let line = lines[lineIndex]
            var searchStart = line.startIndex
            if lineIndex == first {
                // Skip what comes before the node on its own line (the key, the dash).
                let skip = node.location.column - 1
                searchStart = line.unicodeScalars.index(line.startIndex, offsetBy: skip, limitedBy: line.endIndex) ?? line.endIndex
            }
            if let range = line[searchStart...].range(of: needle) {
                let column = line.unicodeScalars.distance(from: line.startIndex, to: range.lowerBound) + 1 + back
                return node.location.moved(line: lineIndex + 1, column: column)
            }
        }
        return node.location
    }
}

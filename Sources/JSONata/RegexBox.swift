import Foundation

/// A compiled regular expression together with its JSONata source text.
final class RegexBox: @unchecked Sendable {
    let regex: NSRegularExpression
    let pattern: String
    /// For patterns that are plain text (optionally anchored with ^ / $) and case-sensitive:
    /// the text, matched without the regex engine.
    let literal: String?
    let anchoredStart: Bool
    let anchoredEnd: Bool

    init(regex: NSRegularExpression, pattern: String, caseSensitive: Bool = true) {
        self.regex = regex
        self.pattern = pattern
        var body = Substring(pattern)
        let start = body.hasPrefix("^")
        if start { body = body.dropFirst() }
        let end = body.hasSuffix("$") && !body.hasSuffix("\\$")
        if end { body = body.dropLast() }
        let meta = Set("\\^$.|?*+()[]{}/")
        if caseSensitive && !body.isEmpty && !body.contains(where: { meta.contains($0) }) && !(end && body.last == "\\") {
            literal = String(body)
        } else {
            literal = nil
        }
        anchoredStart = start
        anchoredEnd = end
    }

    /// Literal matching from UTF-16 offset `from`: (start, end) in UTF-16 units, or nil.
    func literalMatch(_ s: String, from: Int) -> (Int, Int)? {
        guard let lit = literal else { return nil }
        if anchoredStart {
            if from > 0 || !s.utf8.starts(with: lit.utf8) { return nil }
            if anchoredEnd && s.utf8.count != lit.utf8.count { return nil }
            let n = lit.utf16.count
            return (0, n)
        }
        if from == 0 && !anchoredEnd {
            guard let r = findSubstring(s, lit) else { return nil }
            let a = s.utf16.distance(from: s.startIndex, to: r.lowerBound)
            return (a, a + lit.utf16.count)
        }
        let u = Array(s.utf16)
        let l = Array(lit.utf16)
        if anchoredStart && from > 0 { return nil }
        var i = from
        while i + l.count <= u.count {
            if anchoredEnd && i + l.count != u.count {
                if anchoredStart { return nil }
                i = u.count - l.count
                continue
            }
            if u[i..<(i + l.count)].elementsEqual(l) { return (i, i + l.count) }
            if anchoredStart { return nil }
            i += 1
        }
        return nil
    }
}

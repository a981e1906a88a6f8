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

    /// How a search from an offset reads the text, as JavaScript's `exec` from `lastIndex` does:
    /// `^` still means the start of the text (not the offset), and lookbehind and `\b` still
    /// see the characters before the offset.
    static let searchFromOffset: NSRegularExpression.MatchingOptions = [.withTransparentBounds, .withoutAnchoringBounds]

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
            if from > 0 || !hasUTF8Prefix(s, lit) { return nil }
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

/// Whether the UTF-8 bytes of `s` begin with those of `prefix` (no Unicode equivalence, unlike
/// `hasPrefix`; and without the generic `starts(with:)`, which cost ~240 instructions a call).
func hasUTF8Prefix(_ s: String, _ prefix: String) -> Bool {
    var text = s, start = prefix
    return text.withUTF8 { t in
        start.withUTF8 { p in
            guard p.count <= t.count else { return false }
            guard let tb = t.baseAddress, let pb = p.baseAddress else { return true }
            return memcmp(tb, pb, p.count) == 0
        }
    }
}

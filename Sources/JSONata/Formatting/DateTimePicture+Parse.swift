import Foundation

/// `$toMillis`: reading instants back, with a picture or as ISO 8601.
extension DateTimePicture {
    /// One marker or literal turned into a regular expression and a reader for its text.
    private struct Matcher {
        let pattern: String
        let component: Character?
        let read: (String) throws(FormattingError) -> Double?
    }

    /// `$toMillis(text, picture)`: the instant `text` shows, read with `picture` (nil = ISO 8601).
    /// Components missing before the first given one come from `now` (the evaluation's fixed
    /// `$now()` in epoch millis); those after the last given one default to their minimum.
    /// Returns nil where the reference gives undefined (text does not match the picture, or the
    /// picture has no markers). Throws D3110 (not ISO 8601, no picture), D3132-D3136.
    static func parse(_ text: String, picture: String?, now: Double) throws(FormattingError) -> Double? {
        guard let picture else { return try parseISO(text) }
        let matchers = try analyse(picture).map(matcher)
        let pattern = "^" + matchers.map { "(" + $0.pattern + ")" }.joined() + "$"
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else {
            return nil
        }
        var components: [Character: Double] = [:]
        for (index, matcher) in matchers.enumerated() {
            guard let component = matcher.component,
                  let range = Range(match.range(at: index + 1), in: text) else { continue }
            if let value = try matcher.read(String(text[range])) { components[component] = value }
        }
        if components.isEmpty { return nil }
        return try DateTimeAssembly(components: components, now: now).millis()
    }

    /// The regular expression and reader for one part of the picture.
    private static func matcher(_ part: Part) throws(FormattingError) -> Matcher {
        guard case .marker(let marker) = part else {
            guard case .literal(let literal) = part else { fatalError("unreachable") }
            return Matcher(pattern: NSRegularExpression.escapedPattern(for: literal), component: nil) { _ in nil }
        }
        let component = marker.component
        if component == "Z" || component == "z" { return offsetMatcher(marker) }
        if let format = marker.integerFormat {
            if component == "f", format.primary == .decimal {
                // Fractional seconds are a fraction: ".1" is 100 ms, ".01987" is 19 ms.
                return Matcher(pattern: try IntegerPicture.pattern(for: format), component: component) { (text: String) throws(FormattingError) -> Double? in
                    let digits = text.unicodeScalars.compactMap { s -> Character? in
                        s.value >= format.zeroCode && s.value <= format.zeroCode + 9
                            ? Character(Unicode.Scalar(0x30 + s.value - format.zeroCode)!) : nil
                    }
                    let millis = (digits + ["0", "0", "0"]).prefix(3)
                    return Double(String(millis))
                }
            }
            return Matcher(pattern: try IntegerPicture.pattern(for: format), component: component) { (text: String) throws(FormattingError) -> Double? in
                try IntegerPicture.value(of: text, format: format)
            }
        }
        // Everything else is a name: months, days of the week, or am/pm.
        var lookup: [String: Double] = [:]
        func truncated(_ name: String) -> String {
            (marker.maxWidth.map { String(name.prefix($0)) } ?? name).lowercased()
        }
        switch component {
        case "M", "x": for (i, name) in monthNames.enumerated() { lookup[truncated(name)] = Double(i + 1) }
        case "F": for (i, name) in dayNames.enumerated() { lookup[truncated(name)] = Double(i + 1) }
        case "P": lookup = ["am": 0, "pm": 1]
        default: throw FormattingError.quoting("D3133", String(component))
        }
        return Matcher(pattern: "[a-zA-Z]+", component: component) { text in lookup[text.lowercased()] }
    }

    /// Offsets such as `+05:30`, `-0500`, `GMT-5`, read as minutes east of UTC.
    private static func offsetMatcher(_ marker: Marker) -> Matcher {
        let format = marker.integerFormat ?? IntegerPicture.Format()
        let separator = format.regularInterval > 0 ? format.separators.first?.character : nil
        var pattern = marker.component == "z" ? "GMT" : ""
        pattern += "[-+][0-9]+"
        if let separator { pattern += NSRegularExpression.escapedPattern(for: String(separator)) + "[0-9]+" }
        return Matcher(pattern: pattern, component: marker.component) { matched in
            var text = Array(matched)
            if marker.component == "z" { text.removeFirst(3) }
            let negative = text.first == "-"
            var hours: Double?, minutes: Double = 0
            if let separator, let cut = text.firstIndex(of: separator) {
                hours = IntegerPicture.leadingInteger(Array(text[..<cut]))
                minutes = IntegerPicture.leadingInteger(Array(text[(cut + 1)...])) ?? 0
            } else if text.count - 1 <= 2 {
                hours = IntegerPicture.leadingInteger(text)
            } else {
                hours = IntegerPicture.leadingInteger(Array(text.prefix(3)))
                minutes = IntegerPicture.leadingInteger(Array(text.dropFirst(3))) ?? 0
            }
            guard let hours else { return nil }
            // The minutes share the sign of the hours ("-05:30" is 330 minutes west).
            return hours * 60 + (negative ? -minutes : minutes)
        }
    }

    /// The reference's acceptance test for pictureless `$toMillis`.
    private static let isoShape = try! NSRegularExpression(
        pattern: "^\\d{4}(-[01]\\d)*(-[0-3]\\d)*(T[0-2]\\d:[0-5]\\d:[0-5]\\d)*(\\.\\d+)?([+-][0-2]\\d:?[0-5]\\d|Z)?$")

    /// ISO 8601 text (`2018`, `2017-10-30`, `2018-02-01T09:42:13.123+0000`) to epoch millis.
    /// Throws D3110 when the text is not of that shape; nil when it is but is not a real
    /// instant. Times without an offset are taken as UTC (JS would use the host's zone).
    static func parseISO(_ text: String) throws(FormattingError) -> Double? {
        guard isoShape.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil else {
            throw FormattingError.quoting("D3110", text)
        }
        var rest = Substring(text)
        func number(_ count: Int) -> Double? {
            let digits = rest.prefix(count)
            guard digits.count == count, digits.allSatisfy(\.isASCII), let value = Double(String(digits)) else { return nil }
            rest = rest.dropFirst(count)
            return value
        }
        func skip(_ c: Character) -> Bool {
            guard rest.first == c else { return false }
            rest = rest.dropFirst()
            return true
        }
        guard let year = number(4) else { return nil }
        var month = 1.0, day = 1.0, hour = 0.0, minute = 0.0, second = 0.0, millis = 0.0, offset = 0.0
        if skip("-") {
            guard let m = number(2) else { return nil }
            month = m
            if skip("-") { guard let d = number(2) else { return nil }; day = d }
        }
        if skip("T") {
            guard let h = number(2), skip(":"), let mi = number(2), skip(":"), let s = number(2) else { return nil }
            (hour, minute, second) = (h, mi, s)
            if skip(".") {
                let digits = rest.prefix { $0.isASCII && $0.isNumber }
                rest = rest.dropFirst(digits.count)
                millis = Double(String((Array(digits) + ["0", "0", "0"]).prefix(3))) ?? 0
            }
        }
        if let sign = rest.first, sign == "+" || sign == "-" {
            rest = rest.dropFirst()
            guard let h = number(2) else { return nil }
            _ = skip(":")
            guard let mi = number(2) else { return nil }
            offset = (sign == "-" ? -1 : 1) * (h * 60 + mi)
        } else {
            _ = skip("Z")
        }
        guard rest.isEmpty, (1...12).contains(month), (1...31).contains(day),
              hour < 24 || (hour == 24 && minute == 0 && second == 0 && millis == 0) else { return nil }
        // No two-digit-year mapping here: an ISO year is always four digits.
        let days = CivilTime.days(year: Int64(year), month: Int64(month), day: Int64(day))
        let result = Double(days) * 86_400_000 + ((hour * 60 + minute - offset) * 60 + second) * 1000 + millis
        return abs(result) <= CivilTime.maxMillis ? result : nil
    }
}

/// `$fromMillis` / `$toMillis` pictures: XPath F&O 3.1 `format-dateTime` picture strings
/// (`[Y0001]-[M01]-[D01]`, `[FNn], [D1o] [MNn]`, `[h]:[m01] [P]`, `[Z01:01t]`, ...).
enum DateTimePicture {
    /// The reference's default picture: ISO 8601 with milliseconds, `Z` for UTC.
    static let isoPicture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"

    /// Component letters and their default presentation modifier.
    static let defaultPresentation: [Character: String] = [
        "Y": "1", "M": "1", "D": "1", "d": "1", "F": "n", "W": "1", "w": "1", "X": "1", "x": "1",
        "H": "1", "h": "1", "P": "n", "m": "01", "s": "01", "f": "1", "Z": "01:01", "z": "01:01",
        "C": "n", "E": "n",
    ]

    /// One piece of an analysed picture.
    enum Part: Equatable, Sendable {
        case literal(String)
        case marker(Marker)
    }

    /// A variable marker such as `[D1o]` or `[MNn,3-3]`.
    struct Marker: Equatable, Sendable {
        let component: Character
        var presentation = ""
        var presentationModifier: Character?
        /// Letter case when the component is written as a name (`N`, `n`, `Nn`).
        var names: IntegerPicture.LetterCase?
        var minWidth: Int?
        var maxWidth: Int?
        /// How integer-valued components are written; nil for names and non-numeric components.
        var integerFormat: IntegerPicture.Format?
        /// For the year: keep only this many low digits (nil keeps all).
        var yearDigits: Int?
    }

    /// `$fromMillis(millis, picture, timezone)`: formats an instant. `picture` nil means ISO 8601
    /// with milliseconds; `timezone` is `±HHMM` (nil or unreadable = UTC). Returns nil when `millis`
    /// is outside JS `Date`'s range (the reference prints NaN fields there). Throws D3132-D3135.
    static func format(millis: Double, picture: String? = nil, timezone: String? = nil) throws(FormattingError) -> String? {
        let parts = try analyse(picture ?? isoPicture)
        let offset = timezone.flatMap(parseOffset) ?? (0, 0)
        guard let time = CivilTime(millis: millis + Double(offset.hours * 60 + offset.minutes) * 60_000) else {
            return nil
        }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .marker(let marker): out += try render(marker, time, offset)
            }
        }
        return out
    }

    /// A `±HHMM` offset read like JS `parseInt`, split into signed hours and minutes.
    static func parseOffset(_ text: String) -> (hours: Int64, minutes: Int64)? {
        // The usual `±HHMM` (or `HHMM`) read directly; anything else the way `parseInt` does.
        var bytes = text
        let direct = bytes.withUTF8 { b -> (hours: Int64, minutes: Int64)? in
            var start = 0
            if b.count == 5, b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") { start = 1 }
            guard b.count - start == 4 else { return nil }
            var number: Int64 = 0
            for index in start..<b.count {
                guard b[index] >= 0x30 && b[index] <= 0x39 else { return nil }
                number = number * 10 + Int64(b[index] - 0x30)
            }
            if start == 1 && b[0] == UInt8(ascii: "-") { number = -number }
            return (number / 100, number % 100)
        }
        if let direct { return direct }
        guard let value = IntegerPicture.leadingInteger(Array(text)), abs(value) < 1e6 else { return nil }
        let number = Int64(value)
        return (number / 100, number % 100)
    }

    /// Splits a picture into literals and analysed markers (F&O 9.8.4.1).
    static func analyse(_ picture: String) throws(FormattingError) -> [Part] {
        let chars = Array(picture)
        var parts: [Part] = []
        var literal = ""
        var i = 0
        func flush() {
            // A doubled "]]" in literal text stands for one "]".
            if !literal.isEmpty { parts.append(.literal(literal.replacing("]]", with: "]"))) }
            literal = ""
        }
        while i < chars.count {
            if chars[i] == "[" {
                if i + 1 < chars.count && chars[i + 1] == "[" {
                    flush()
                    parts.append(.literal("["))
                    i += 2
                    continue
                }
                flush()
                guard let close = chars[i...].firstIndex(of: "]") else { throw FormattingError("D3135") }
                // White space inside a marker is insignificant.
                let body = String(chars[(i + 1)..<close].filter { !$0.isWhitespace })
                let marker = try analyseMarker(body)
                if marker.integerFormat != nil, "YMDdFWwXxHhmsf".contains(marker.component) {
                    // Two numbers with nothing between them can only be parsed at fixed widths.
                    if case .marker(var previous)? = parts.last, var previousFormat = previous.integerFormat {
                        previousFormat.parseWidth = previousFormat.mandatoryDigits
                        previous.integerFormat = previousFormat
                        parts[parts.count - 1] = .marker(previous)
                    }
                }
                parts.append(.marker(marker))
                i = close + 1
            } else {
                literal.append(chars[i])
                i += 1
            }
        }
        flush()
        return parts
    }

    /// Reads one marker body: component letter, presentation modifiers, optional `,min-max` width.
    private static func analyseMarker(_ body: String) throws(FormattingError) -> Marker {
        guard let component = body.first, let fallback = defaultPresentation[component] else {
            throw FormattingError.quoting("D3132", body.first.map(String.init) ?? "")
        }
        var marker = Marker(component: component)
        var modifiers = String(body.dropFirst())
        if let comma = body.lastIndex(of: ",") {
            let width = body[body.index(after: comma)...]
            modifiers = String(body[body.index(after: body.startIndex)..<comma])
            let bounds = width.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            marker.minWidth = bounds.first.flatMap { $0 == "*" ? nil : Int($0) }
            marker.maxWidth = bounds.count > 1 ? (bounds[1] == "*" ? nil : Int(bounds[1])) : nil
            // Widths are padding to allocate: past 1e7 characters, refuse instead of exhausting memory.
            for width in [marker.minWidth, marker.maxWidth] {
                if let width, width > 10_000_000 {
                    throw FormattingError(code: "U1003", message: "The result would be too large: a width of \(width) in the picture exceeds the limit of 1e7 characters.")
                }
            }
        }
        if modifiers.count > 1, let last = modifiers.last, "atco".contains(last) {
            // Second modifier: o = ordinal, t = "Z" for a zero offset; c (cardinal) and a are no-ops.
            marker.presentationModifier = last
            modifiers.removeLast()
        }
        marker.presentation = modifiers.isEmpty ? fallback : modifiers
        if marker.presentation.hasPrefix("n") {
            marker.names = .lower
        } else if marker.presentation.hasPrefix("N") {
            marker.names = marker.presentation.dropFirst().first == "n" ? .title : .upper
        } else if "YMDdFWwXxHhmsf".contains(component) {
            var picture = marker.presentation
            if let modifier = marker.presentationModifier { picture += ";" + String(modifier) }
            var format = try IntegerPicture.analyse(picture)
            if let minWidth = marker.minWidth, format.mandatoryDigits < minWidth { format.mandatoryDigits = minWidth }
            if component == "Y" {
                // F&O 9.8.4.4: a year picture of two or more digits (or a max width) truncates.
                if let maxWidth = marker.maxWidth {
                    marker.yearDigits = maxWidth
                    format.mandatoryDigits = maxWidth
                } else if format.mandatoryDigits + format.optionalDigits >= 2 {
                    marker.yearDigits = format.mandatoryDigits + format.optionalDigits
                }
            }
            marker.integerFormat = format
        }
        if component == "Z" || component == "z" {
            marker.integerFormat = try IntegerPicture.analyse(marker.presentation)
        }
        return marker
    }
}

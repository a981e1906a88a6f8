/// Reading integers back from text formatted with an integer picture.
extension IntegerPicture {
    /// `$parseInteger(text, picture)`: the integer `text` shows under `picture`, or nil when the
    /// text cannot be read that way (the reference yields NaN/garbage there; we refuse instead).
    /// Throws D3130 (unsupported sequence) or D3131 (mixed digit families) for bad pictures.
    static func parse(_ text: String, picture: String) throws(FormattingError) -> Double? {
        try value(of: text, format: analyse(picture))
    }

    /// The value of `text` under an analysed picture (shared with date/time parsing).
    static func value(of text: String, format: Format) throws(FormattingError) -> Double? {
        switch format.primary {
        case .letters: return lettersValue(text, upper: format.letterCase == .upper)
        case .roman: return romanValue(text)
        case .words: return wordsValue(text)
        case .sequence(let token): throw FormattingError.quoting("D3130", token)
        case .decimal:
            var chars = Array(text)
            if format.ordinal && chars.count >= 2 { chars.removeLast(2) }  // "st", "nd", "rd", "th"
            let separators = Set(format.separators.map(\.character))
            chars.removeAll { separators.contains($0) }
            // Back to ASCII digits, then read like JS parseInt: optional sign, leading digits.
            let ascii = chars.map { c -> Character in
                guard let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1,
                      scalar.value >= format.zeroCode, scalar.value <= format.zeroCode + 9 else { return c }
                return Character(Unicode.Scalar(0x30 + scalar.value - format.zeroCode)!)
            }
            return leadingInteger(ascii)
        }
    }

    /// JS `parseInt(text, 10)`: skips leading white space, takes a sign and the leading digits.
    static func leadingInteger(_ chars: [Character]) -> Double? {
        var rest = chars.drop { $0.isWhitespace }
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" { negative = sign == "-"; rest = rest.dropFirst() }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let value = Double(String(digits)) else { return nil }
        return negative ? -value : value
    }

    /// A regular-expression fragment (ICU syntax) matching one value in this format, used to
    /// cut date/time strings into components.
    static func pattern(for format: Format) throws(FormattingError) -> String {
        switch format.primary {
        case .letters: return format.letterCase == .upper ? "[A-Z]+" : "[a-z]+"
        case .roman: return format.letterCase == .upper ? "[MDCLXVI]+" : "[mdclxvi]+"
        case .words:
            // Longest words first so that "seventh" is not read as "seven" + "th".
            let words = wordValues.keys.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
            return "(?:" + (words + ["and", "[\\-, ]"]).joined(separator: "|") + ")+"
        case .sequence(let token): throw FormattingError.quoting("D3130", token)
        case .decimal:
            let zero = String(format.zeroCode, radix: 16), nine = String(format.zeroCode + 9, radix: 16)
            var pattern = "[\\x{\(zero)}-\\x{\(nine)}]"
            pattern += format.parseWidth.map { "{\($0)}" } ?? "+"
            if format.ordinal { pattern += "(?:th|st|nd|rd)" }
            return pattern
        }
    }
}

/// `$formatInteger` / `$parseInteger`: XPath F&O 3.1 `format-integer` pictures as the JSONata
/// reference supports them (decimal digit patterns in any Unicode digit family, `a`/`A`,
/// `i`/`I`, `w`/`W`/`Ww`, and the `;o` ordinal modifier).
enum IntegerPicture {
    /// The primary format token's kind.
    enum Primary: Equatable, Sendable {
        case decimal, letters, roman, words
        /// A numbering sequence the reference does not support (D3130), with its token.
        case sequence(String)
    }

    /// Letter case of alphabetic and word output.
    enum LetterCase: Equatable, Sendable { case lower, upper, title }

    /// A grouping separator and how many digit positions lie to its right.
    struct Separator: Equatable, Sendable {
        let position: Int
        let character: Character
    }

    /// An analysed picture string.
    struct Format: Equatable, Sendable {
        var primary: Primary = .decimal
        var letterCase: LetterCase = .lower
        var ordinal = false
        /// First code point of the decimal digit family (0x30 for ASCII).
        var zeroCode: UInt32 = 0x30
        var mandatoryDigits = 0
        var optionalDigits = 0
        /// Separators right to left; when `regularInterval` > 0 they repeat every that many digits.
        var separators: [Separator] = []
        var regularInterval = 0
        /// Exact digit count to read when parsing adjacent date/time numbers; nil means any.
        var parseWidth: Int?
    }

    /// Code points of the zero digit of every decimal digit family the reference recognises.
    static let digitFamilies: [UInt32] = [
        0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
        0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    ]

    /// Formats `value` (floored first, as the reference does) with `picture`, e.g. `"#,##0"`,
    /// `"w;o"`, `"I"`. Throws D3130 (unsupported sequence) or D3131 (mixed digit families).
    static func format(_ value: Double, picture: String) throws(FormattingError) -> String {
        try format(value.rounded(.down), analysed: analyse(picture))
    }

    /// Analyses a picture: the primary token, then an optional `;` modifier (`o` = ordinal).
    static func analyse(_ picture: String) throws(FormattingError) -> Format {
        var format = Format()
        var primary = Substring(picture)
        if let semicolon = picture.lastIndex(of: ";") {
            primary = picture[..<semicolon]
            format.ordinal = picture[picture.index(after: semicolon)...].first == "o"
        }
        switch primary {
        case "A": format.primary = .letters; format.letterCase = .upper
        case "a": format.primary = .letters
        case "I": format.primary = .roman; format.letterCase = .upper
        case "i": format.primary = .roman
        case "W": format.primary = .words; format.letterCase = .upper
        case "Ww": format.primary = .words; format.letterCase = .title
        case "w": format.primary = .words
        default: try analyseDigits(String(primary), into: &format)
        }
        return format
    }

    /// Reads a decimal digit pattern right to left, counting digits and noting separators;
    /// a token without any digit is an (unsupported) numbering sequence.
    private static func analyseDigits(_ token: String, into format: inout Format) throws(FormattingError) {
        var zero: UInt32?
        var position = 0
        var separators: [Separator] = []
        for scalar in token.unicodeScalars.reversed() {
            if let family = digitFamilies.first(where: { scalar.value >= $0 && scalar.value <= $0 + 9 }) {
                if let zero, zero != family { throw FormattingError("D3131") }
                zero = family
                format.mandatoryDigits += 1
                position += 1
            } else if scalar == "#" {
                format.optionalDigits += 1
                position += 1
            } else {
                separators.append(Separator(position: position, character: Character(scalar)))
            }
        }
        guard let zero else {
            format.primary = .sequence(token)
            return
        }
        format.primary = .decimal
        format.zeroCode = zero
        format.regularInterval = regularInterval(separators)
        format.separators = format.regularInterval > 0 ? [separators[0]] : separators
    }

    /// The common interval when all separators are the same character at every multiple of it.
    private static func regularInterval(_ separators: [Separator]) -> Int {
        guard let first = separators.first,
              separators.allSatisfy({ $0.character == first.character }) else { return 0 }
        let positions = separators.map(\.position)
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let factor = positions.dropFirst().reduce(first.position, gcd)
        guard factor > 0 else { return 0 }
        for index in 1...positions.count where !positions.contains(index * factor) { return 0 }
        return factor
    }

    /// Formats an integer-valued `value` with an analysed picture (shared with date/time markers).
    static func format(_ value: Double, analysed format: Format) throws(FormattingError) -> String {
        let magnitude = abs(value)
        var text: String
        switch format.primary {
        case .letters:
            text = letters(magnitude, upper: format.letterCase == .upper)
        case .roman:
            // Roman numerals write a thousand as one M: past 1e10 that is over 1e7 characters.
            guard magnitude <= 1e10 else {
                throw FormattingError(code: "U1003", message: "The result would be too large: \(NumberText.json(value)) in roman numerals exceeds the limit of 1e7 characters.")
            }
            text = roman(magnitude)
            if format.letterCase == .upper { text = text.uppercased() }
        case .words:
            text = words(magnitude, ordinal: format.ordinal)
            if format.letterCase == .upper { text = text.uppercased() }
            if format.letterCase == .lower { text = text.lowercased() }
        case .decimal:
            text = decimal(magnitude, format)
        case .sequence(let token):
            throw FormattingError.quoting("D3130", token)
        }
        return value < 0 ? "-" + text : text
    }

    /// Digits padded to the mandatory width, moved to the picture's digit family, grouped, and
    /// given an English ordinal suffix when asked.
    private static func decimal(_ magnitude: Double, _ format: Format) -> String {
        var digits = Array(NumberText.json(magnitude))
        if digits.count < format.mandatoryDigits {
            digits = Array(repeating: "0", count: format.mandatoryDigits - digits.count) + digits
        }
        if format.zeroCode != 0x30 {
            digits = digits.map { c in
                guard let ascii = c.asciiValue, ascii >= 48, ascii <= 57,
                      let scalar = Unicode.Scalar(format.zeroCode + UInt32(ascii - 48)) else { return c }
                return Character(scalar)
            }
        }
        if format.regularInterval > 0, let separator = format.separators.first {
            let groups = (digits.count - 1) / format.regularInterval
            if groups > 0 {
                for group in (1...groups).reversed() {
                    digits.insert(separator.character, at: digits.count - group * format.regularInterval)
                }
            }
        } else {
            // Leftmost separator first; each position counts from the right, so earlier
            // insertions do not move later ones. Separators beyond the digits are left out.
            for separator in format.separators.reversed() where separator.position < digits.count {
                digits.insert(separator.character, at: digits.count - separator.position)
            }
        }
        var text = String(digits)
        if format.ordinal {
            let last = digits.last
            let tensIsOne = digits.count > 1 && digits[digits.count - 2] == "1"
            let suffix: String
            switch last {
            case "1" where !tensIsOne: suffix = "st"
            case "2" where !tensIsOne: suffix = "nd"
            case "3" where !tensIsOne: suffix = "rd"
            default: suffix = "th"
            }
            text += suffix
        }
        return text
    }
}

/// `$formatNumber`: XPath F&O 3.1 `format-number` pictures, as the JSONata reference applies them.
enum NumberPicture {
    /// Formats `value` with `picture` (e.g. `"#,##0.00"`, `"0.0e0"`, `"#0%"`, `"#;(#)"`);
    /// `options` override decimal-format properties by their XPath names ("decimal-separator",
    /// "grouping-separator", "exponent-separator", "infinity", "NaN", "minus-sign", "percent",
    /// "per-mille", "zero-digit", "digit", "pattern-separator"). Throws D3080-D3093.
    static func format(_ value: Double, picture: String, options: [String: String] = [:]) throws(FormattingError) -> String {
        let symbols = Symbols(options)
        let subPictures = split(Array(picture), on: symbols.patternSeparator)
        if subPictures.count > 2 { throw FormattingError("D3080") }
        var parsed: [Parts] = []
        for sub in subPictures {
            let parts = try Parts(sub, symbols)
            try parts.validate(symbols)
            parsed.append(parts)
        }
        var layouts = parsed.map { Layout($0, symbols) }
        if layouts.count == 1 {
            // One sub-picture: negatives use it too, with the minus sign in front (F&O 4.7.3).
            var negative = layouts[0]
            negative.prefix = Array(symbols.minusSign) + negative.prefix
            layouts.append(negative)
        }
        let layout = value >= 0 || value.isNaN ? layouts[0] : layouts[1]
        if value.isNaN { return symbols.nan }
        if value.isInfinite { return String(layout.prefix) + symbols.infinity + String(layout.suffix) }

        var adjusted = value
        if contains(layout.picture, symbols.percent) {
            adjusted = value * 100
        } else if contains(layout.picture, symbols.perMille) {
            adjusted = value * 1000
        }

        var mantissa = adjusted
        var exponent: Int?
        if layout.minimumExponentSize > 0 {
            // Scale the magnitude so its integer part has `scalingFactor` digits. The reference
            // steps by ×10 / ÷10 (we keep its exact double arithmetic); zero stays 0e0.
            let maxMantissa = pow10(layout.scalingFactor)
            let minMantissa = pow10(layout.scalingFactor - 1)
            mantissa = abs(adjusted)
            var e = 0
            if mantissa != 0 {
                while mantissa < minMantissa { mantissa *= 10; e -= 1 }
                while mantissa > maxMantissa { mantissa /= 10; e += 1 }
            }
            exponent = e
        }
        let rounded = NumberText.roundHalfEven(mantissa, precision: layout.maximumFractionSize)
        var text = render(digitsOf: rounded, fractionDigits: layout.maximumFractionSize, symbols)
        insertGrouping(&text, layout, symbols)
        if !contains(layout.picture, symbols.decimalSeparator) || text.last == symbols.decimalChar {
            // No fractional digits to show (or no decimal separator in the picture): drop the point.
            text.removeLast()
        }
        if let exponent {
            var digits = symbols.mapDigits(Array(NumberText.toFixed(Double(abs(exponent)), 0)))
            if digits.count < layout.minimumExponentSize {
                digits = Array(repeating: symbols.zeroDigit, count: layout.minimumExponentSize - digits.count) + digits
            }
            text += Array(symbols.exponentSeparator) + (exponent < 0 ? Array(symbols.minusSign) : []) + digits
        }
        return String(layout.prefix + text + layout.suffix)
    }

    /// The digits of `value` with `fractionDigits` decimals in the picture's digit family, with
    /// insignificant zeros stripped and then padded back to the picture's minimum sizes; the
    /// decimal separator is always present (removed later if not wanted).
    private static func render(digitsOf value: Double, fractionDigits: Int, _ symbols: Symbols) -> [Character] {
        let fixed = Array(NumberText.toFixed(abs(value), fractionDigits))
        var text = symbols.mapDigits(fixed)
        if let dot = text.firstIndex(of: ".") {
            text[dot] = symbols.decimalChar
        } else {
            text.append(symbols.decimalChar)
        }
        while text.first == symbols.zeroDigit { text.removeFirst() }
        while text.last == symbols.zeroDigit { text.removeLast() }
        return text
    }

    /// Pads to the minimum integer and fraction sizes, then inserts the grouping separators.
    private static func insertGrouping(_ text: inout [Character], _ layout: Layout, _ symbols: Symbols) {
        var point = text.firstIndex(of: symbols.decimalChar) ?? text.count
        let padLeft = layout.minimumIntegerSize - point
        let padRight = layout.minimumFractionSize - (text.count - point - 1)
        if padLeft > 0 { text = Array(repeating: symbols.zeroDigit, count: padLeft) + text }
        if padRight > 0 { text += Array(repeating: symbols.zeroDigit, count: padRight) }
        point = text.firstIndex(of: symbols.decimalChar) ?? text.count
        let separator = symbols.groupingChar
        if layout.regularGrouping > 0 {
            let groups = (point - 1) / layout.regularGrouping
            if groups > 0 {
                for group in 1...groups { text.insert(separator, at: point - group * layout.regularGrouping) }
            }
        } else {
            // a separator needs a digit on its left: `#,##,##0` writes 804 as "804", not ",804"
            for position in layout.integerGroupingPositions where position < point {
                text.insert(separator, at: point - position)
                point += 1
            }
        }
        point = text.firstIndex(of: symbols.decimalChar) ?? text.count
        // Insert from the right so earlier insertions do not shift later positions.
        for position in layout.fractionGroupingPositions.sorted(by: >) where point + 1 + position <= text.count {
            text.insert(separator, at: point + 1 + position)
        }
    }

    /// 10^n as the reference's `Math.pow(10, n)` gives it for small n.
    private static func pow10(_ n: Int) -> Double {
        var result = 1.0
        if n >= 0 { for _ in 0..<n { result *= 10 } } else { for _ in 0..<(-n) { result /= 10 } }
        return result
    }

    /// Splits `text` at each occurrence of `separator` (a possibly multi-character string).
    static func split(_ text: [Character], on separator: String) -> [[Character]] {
        let sep = Array(separator)
        guard !sep.isEmpty else { return [text] }
        var pieces: [[Character]] = []
        var current: [Character] = []
        var i = 0
        while i < text.count {
            if i + sep.count <= text.count && Array(text[i..<(i + sep.count)]) == sep {
                pieces.append(current)
                current = []
                i += sep.count
            } else {
                current.append(text[i])
                i += 1
            }
        }
        pieces.append(current)
        return pieces
    }
}

extension NumberPicture {
    /// How many (possibly overlapping) times `needle` occurs in `text`; an empty needle never does.
    static func occurrences(of needle: String, in text: [Character]) -> Int {
        let needle = Array(needle)
        guard !needle.isEmpty, needle.count <= text.count else { return 0 }
        return (0...(text.count - needle.count)).filter { Array(text[$0..<($0 + needle.count)]) == needle }.count
    }

    /// Whether `needle` occurs in `text`.
    static func contains(_ text: [Character], _ needle: String) -> Bool {
        occurrences(of: needle, in: text) > 0
    }
}

/// Picture analysis for `$formatNumber`: decimal-format symbols, the split of a sub-picture into
/// its parts (F&O 4.7.3 validation) and the derived layout variables (F&O 4.7.4).
extension NumberPicture {
    /// The decimal-format properties, defaults overridden by the caller's options.
    struct Symbols {
        var decimalSeparator = ".", groupingSeparator = ",", exponentSeparator = "e"
        var infinity = "Infinity", minusSign = "-", nan = "NaN", percent = "%", perMille = "\u{2030}"
        var zeroDigitText = "0", digitText = "#", patternSeparator = ";"
        /// The ten digits starting at the zero-digit property's code point.
        let family: [Character]

        /// Applies the option overrides by their XPath property names.
        init(_ options: [String: String]) {
            for (key, value) in options {
                switch key {
                case "decimal-separator": decimalSeparator = value
                case "grouping-separator": groupingSeparator = value
                case "exponent-separator": exponentSeparator = value
                case "infinity": infinity = value
                case "minus-sign": minusSign = value
                case "NaN": nan = value
                case "percent": percent = value
                case "per-mille": perMille = value
                case "zero-digit": zeroDigitText = value
                case "digit": digitText = value
                case "pattern-separator": patternSeparator = value
                default: break
                }
            }
            let zero = zeroDigitText.unicodeScalars.first?.value ?? 0x30
            family = (0..<10).compactMap { Unicode.Scalar(zero + $0).map(Character.init) }
        }

        /// A property as the single character the reference compares picture characters with;
        /// a multi-character property never matches one picture character.
        private func single(_ text: String) -> Character? { text.count == 1 ? text.first : nil }
        var decimalChar: Character { single(decimalSeparator) ?? "\u{FFFF}" }
        var groupingChar: Character { single(groupingSeparator) ?? "\u{FFFF}" }
        var exponentChar: Character? { single(exponentSeparator) }
        var digitChar: Character? { single(digitText) }
        var zeroDigit: Character { family.first ?? "0" }

        /// A member of the decimal digit family.
        func isDigit(_ c: Character) -> Bool { family.contains(c) }
        /// A digit or the optional-digit sign.
        func isDigitOrOptional(_ c: Character) -> Bool { isDigit(c) || c == digitChar }
        /// An active picture character (F&O: digits, separators, digit sign, pattern separator).
        func isActive(_ c: Character) -> Bool {
            isDigit(c) || [single(decimalSeparator), single(exponentSeparator), single(groupingSeparator),
                           digitChar, single(patternSeparator)].contains(c)
        }
        /// ASCII digits replaced by the family's digits.
        func mapDigits(_ text: [Character]) -> [Character] {
            text.map { c in c.asciiValue.map { $0 >= 48 && $0 <= 57 ? family[Int($0) - 48] : c } ?? c }
        }
    }

    /// A sub-picture cut into prefix, active part (mantissa, exponent) and suffix.
    struct Parts {
        let subPicture: [Character]
        let prefix: [Character], suffix: [Character], active: [Character]
        let mantissa: [Character], exponent: [Character]?
        let integer: [Character], fraction: [Character]

        /// Cuts `sub` at its first and last active characters (an exponent separator there is passive).
        init(_ sub: [Character], _ symbols: Symbols) throws(FormattingError) {
            let isBoundary = { (c: Character) in symbols.isActive(c) && c != symbols.exponentChar }
            guard let first = sub.firstIndex(where: isBoundary), let last = sub.lastIndex(where: isBoundary) else {
                // No active character at all (e.g. "%%", "---"): the reference reports D3086.
                throw FormattingError("D3086")
            }
            subPicture = sub
            prefix = Array(sub[..<first])
            suffix = Array(sub[(last + 1)...])
            active = Array(sub[first...last])
            // The exponent separator counts only inside the active part, where it is
            // necessarily followed by more active characters.
            if let e = symbols.exponentChar, let k = active.firstIndex(of: e) {
                mantissa = Array(active[..<k])
                exponent = Array(active[(k + 1)...])
            } else {
                mantissa = active
                exponent = nil
            }
            if let dot = mantissa.firstIndex(of: symbols.decimalChar) {
                integer = Array(mantissa[..<dot])
                fraction = Array(mantissa[(dot + 1)...])
            } else {
                integer = mantissa
                fraction = []
            }
        }

        /// The F&O 4.7.3 rules; like the reference, when several are broken the last one checked wins.
        func validate(_ s: Symbols) throws(FormattingError) {
            var error: String?
            let sub = subPicture
            if NumberPicture.occurrences(of: s.decimalSeparator, in: sub) > 1 { error = "D3081" }
            if NumberPicture.occurrences(of: s.percent, in: sub) > 1 { error = "D3082" }
            if NumberPicture.occurrences(of: s.perMille, in: sub) > 1 { error = "D3083" }
            if NumberPicture.contains(sub, s.percent) && NumberPicture.contains(sub, s.perMille) { error = "D3084" }
            if !mantissa.contains(where: s.isDigitOrOptional) { error = "D3085" }
            if active.contains(where: { !s.isActive($0) }) { error = "D3086" }
            if let dot = sub.firstIndex(of: s.decimalChar) {
                if (dot > 0 && sub[dot - 1] == s.groupingChar) || (dot + 1 < sub.count && sub[dot + 1] == s.groupingChar) {
                    error = "D3087"
                }
            } else if integer.last == s.groupingChar {
                error = "D3088"
            }
            if NumberPicture.contains(sub, s.groupingSeparator + s.groupingSeparator) { error = "D3089" }
            if let hash = integer.firstIndex(where: { $0 == s.digitChar }), integer[..<hash].contains(where: s.isDigit) {
                error = "D3090"
            }
            if let hash = fraction.lastIndex(where: { $0 == s.digitChar }), fraction[hash...].contains(where: s.isDigit) {
                error = "D3091"
            }
            if let exponent, !exponent.isEmpty,
               NumberPicture.contains(sub, s.percent) || NumberPicture.contains(sub, s.perMille) {
                error = "D3092"
            }
            if let exponent, exponent.isEmpty || exponent.contains(where: { !s.isDigit($0) }) { error = "D3093" }
            if let error { throw FormattingError(error) }
        }
    }

    /// The F&O 4.7.4 variables that drive formatting of one sub-picture.
    struct Layout {
        var prefix: [Character]
        let suffix: [Character], picture: [Character]
        let integerGroupingPositions: [Int], regularGrouping: Int, fractionGroupingPositions: [Int]
        let minimumIntegerSize: Int, scalingFactor: Int
        let minimumFractionSize: Int, maximumFractionSize: Int, minimumExponentSize: Int

        /// Derives the variables from the parts, including the reference's adjustments for
        /// exponent pictures without integer digits.
        init(_ parts: Parts, _ s: Symbols) {
            prefix = parts.prefix
            suffix = parts.suffix
            picture = parts.subPicture
            let integer = parts.integer, fraction = parts.fraction
            // Distance of each integer separator from the decimal point, in digit positions.
            integerGroupingPositions = integer.indices.filter { integer[$0] == s.groupingChar }.map { index in
                integer[index...].filter(s.isDigitOrOptional).count
            }
            regularGrouping = Layout.regularInterval(integerGroupingPositions)
            fractionGroupingPositions = fraction.indices.filter { fraction[$0] == s.groupingChar }.map { index in
                fraction[..<index].filter(s.isDigitOrOptional).count
            }
            var minInteger = integer.filter(s.isDigit).count
            scalingFactor = minInteger
            var minFraction = fraction.filter(s.isDigit).count
            var maxFraction = fraction.filter(s.isDigitOrOptional).count
            let hasExponent = parts.exponent != nil
            if minInteger == 0 && maxFraction == 0 {
                if hasExponent { minFraction = 1; maxFraction = 1 } else { minInteger = 1 }
            }
            if hasExponent && minInteger == 0 && integer.contains(where: { $0 == s.digitChar }) { minInteger = 1 }
            if minInteger == 0 && minFraction == 0 { minFraction = 1 }
            minimumIntegerSize = minInteger
            minimumFractionSize = minFraction
            maximumFractionSize = maxFraction
            minimumExponentSize = parts.exponent?.filter(s.isDigit).count ?? 0
        }

        /// The common interval when separators sit at every multiple of it, else 0.
        static func regularInterval(_ positions: [Int]) -> Int {
            guard let first = positions.first else { return 0 }
            func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
            let factor = positions.dropFirst().reduce(first, gcd)
            guard factor > 0 else { return 0 }
            for index in 1...positions.count where !positions.contains(index * factor) { return 0 }
            return factor
        }
    }
}

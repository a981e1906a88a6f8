#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers as English words, roman numerals and spreadsheet-style letters, both directions.
extension IntegerPicture {
    static let smallWords = ["Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
                             "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen",
                             "Eighteen", "Nineteen"]
    static let smallOrdinals = ["Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh",
                                "Eighth", "Ninth", "Tenth", "Eleventh", "Twelfth", "Thirteenth", "Fourteenth",
                                "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"]
    static let tensWords = ["Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"]
    /// 10^3, 10^6, 10^9, 10^12; larger numbers repeat "Trillion" (1e46 is "Ten Billion Trillion Trillion Trillion").
    static let magnitudeWords = ["Thousand", "Million", "Billion", "Trillion"]

    /// `value` (a non-negative integer) in title-case English words, British style
    /// ("One Hundred and Twenty-Three", "Three Thousand, Seven Hundred and Thirty-First").
    static func words(_ value: Double, ordinal: Bool) -> String {
        spell(value, afterHigherPart: false, ordinal: ordinal)
    }

    /// One step of the spelling; `afterHigherPart` adds the joining "and" or ", ".
    private static func spell(_ n: Double, afterHigherPart: Bool, ordinal: Bool) -> String {
        if n <= 19 {
            let index = Int(n)
            return (afterHigherPart ? " and " : "") + (ordinal ? smallOrdinals[index] : smallWords[index])
        }
        if n < 100 {
            let tens = Int(n / 10), units = n.truncatingRemainder(dividingBy: 10)
            var text = (afterHigherPart ? " and " : "") + tensWords[tens - 2]
            if units > 0 {
                text += "-" + spell(units, afterHigherPart: false, ordinal: ordinal)
            } else if ordinal {
                text = String(text.dropLast()) + "ieth"  // Twenty -> Twentieth
            }
            return text
        }
        if n < 1000 {
            let hundreds = Int(n / 100), rest = n.truncatingRemainder(dividingBy: 100)
            var text = (afterHigherPart ? ", " : "") + smallWords[hundreds] + " Hundred"
            if rest > 0 { text += spell(rest, afterHigherPart: true, ordinal: ordinal) } else if ordinal { text += "th" }
            return text
        }
        // Group by thousands; past trillions the mantissa itself is spelled (recursively).
        let magnitude = min(Int((log10(n) / 3).rounded(.down)), magnitudeWords.count)
        var factor = 1.0
        for _ in 0..<(magnitude * 3) { factor *= 10 }
        let mantissa = (n / factor).rounded(.down)
        let rest = n - mantissa * factor
        var text = (afterHigherPart ? ", " : "") + spell(mantissa, afterHigherPart: false, ordinal: false)
            + " " + magnitudeWords[magnitude - 1]
        if rest > 0 { text += spell(rest, afterHigherPart: true, ordinal: ordinal) } else if ordinal { text += "th" }
        return text
    }

    /// Lower-case word -> value, for cardinals, ordinals, tens ("twentieth") and magnitudes.
    static let wordValues: [String: Double] = {
        var table: [String: Double] = [:]
        for (i, word) in smallWords.enumerated() { table[word.lowercased()] = Double(i) }
        for (i, word) in smallOrdinals.enumerated() { table[word.lowercased()] = Double(i) }
        for (i, word) in tensWords.enumerated() {
            let lower = word.lowercased()
            table[lower] = Double((i + 2) * 10)
            table[String(lower.dropLast()) + "ieth"] = Double((i + 2) * 10)
        }
        table["hundred"] = 100
        table["hundredth"] = 100
        var value = 1.0
        for word in magnitudeWords {
            value *= 1000
            table[word.lowercased()] = value
            table[word.lowercased() + "th"] = value
        }
        return table
    }()

    /// Reads English number words back; nil when a word is unknown.
    static func wordsValue(_ text: String) -> Double? {
        var segments: [Double] = [0]
        for word in wordTokens(text.lowercased()) {
            guard let value = wordValues[word] else { return nil }
            if value < 100 {
                // A small number starts a new segment after a thousands group, else adds on.
                var top = segments.removeLast()
                if top >= 1000 { segments.append(top); top = 0 }
                segments.append(top + value)
            } else {
                segments.append(segments.removeLast() * value)
            }
        }
        return segments.reduce(0, +)
    }

    /// Splits at ", ", " and ", or a single space, backslash or hyphen, trying them in that
    /// order at each position (so empty words appear between doubled separators).
    private static func wordTokens(_ text: String) -> [String] {
        let chars = Array(text)
        var tokens: [String] = []
        var current = ""
        var i = 0
        func isSpace(_ c: Character) -> Bool { c.isWhitespace }
        while i < chars.count {
            if chars[i] == ",", i + 1 < chars.count, isSpace(chars[i + 1]) {
                tokens.append(current); current = ""; i += 2
            } else if isSpace(chars[i]), i + 4 < chars.count, String(chars[(i + 1)...(i + 3)]) == "and",
                      isSpace(chars[i + 4]) {
                tokens.append(current); current = ""; i += 5
            } else if isSpace(chars[i]) || chars[i] == "\\" || chars[i] == "-" {
                tokens.append(current); current = ""; i += 1
            } else {
                current.append(chars[i]); i += 1
            }
        }
        tokens.append(current)
        return tokens
    }

    private static let romanTable: [(Double, String)] = [
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ]

    /// Lower-case roman numerals; 0 gives "".
    static func roman(_ value: Double) -> String {
        var rest = value
        var text = ""
        for (amount, numeral) in romanTable {
            while rest >= amount { text += numeral; rest -= amount }
        }
        return text
    }

    /// Reads roman numerals (either case), subtracting a numeral smaller than one to its right.
    static func romanValue(_ text: String) -> Double? {
        let values: [Character: Double] = ["M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1]
        var total = 0.0
        var largest = 1.0
        for c in text.uppercased().reversed() {
            guard let value = values[c] else { return nil }
            if value < largest { total -= value } else { largest = value; total += value }
        }
        return total
    }

    /// Spreadsheet-style letters: 1 = a, 26 = z, 27 = aa; 0 gives "".
    static func letters(_ value: Double, upper: Bool) -> String {
        let base: UInt32 = upper ? 65 : 97
        var rest = value
        var text: [Character] = []
        while rest > 0 {
            let digit = (rest - 1).truncatingRemainder(dividingBy: 26)
            text.insert(Character(Unicode.Scalar(base + UInt32(digit))!), at: 0)
            rest = ((rest - 1) / 26).rounded(.down)
        }
        return String(text)
    }

    /// Reads spreadsheet-style letters relative to `a` or `A`; nil for other characters.
    static func lettersValue(_ text: String, upper: Bool) -> Double? {
        let base: UInt32 = upper ? 65 : 97
        var total = 0.0
        for scalar in text.unicodeScalars {
            guard scalar.value >= base, scalar.value < base + 26 else { return nil }
            total = total * 26 + Double(scalar.value - base + 1)
        }
        return total
    }
}

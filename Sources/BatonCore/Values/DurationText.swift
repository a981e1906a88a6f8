/// Reads and writes the durations of workflow files: `250ms`, `10s`, `5m`, `1h30m`, `2d`.
///
/// Units are `ms`, `s`, `m`, `h`, `d` and `w`, each at most once and largest first, so that
/// `1h30m` reads naturally and `30m1h` is rejected rather than guessed at.
public enum DurationText {
    /// Why a duration did not parse, with the fix; `offset` is the character where it went wrong.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong and how to write it instead.
        public var message: String
        /// 0-based character offset in the text.
        public var offset: Int
        /// The message.
        public var description: String { message }
    }

    private static let units: [(name: String, milliseconds: Int64)] = [
        ("w", 604_800_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    private static let example = "write a number and a unit, like 250ms, 10s, 5m, 1h30m or 2d"

    /// Parses a duration.
    public static func parse(_ text: String) throws(ParseError) -> Duration {
        let chars = Array(text)
        guard !chars.isEmpty else { throw ParseError(message: "empty duration; \(example)", offset: 0) }
        if let space = chars.firstIndex(where: \.isWhitespace) {
            throw ParseError(message: "duration '\(text)' must not contain spaces; \(example)", offset: space)
        }
        var index = 0
        var total: Int64 = 0
        var lastUnitRank = -1
        while index < chars.count {
            let start = index
            var number: Int64 = 0
            while index < chars.count, let digit = chars[index].wholeNumberValue, chars[index].isASCII {
                let (product, overflow1) = number.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = product.addingReportingOverflow(Int64(digit))
                guard !overflow1, !overflow2 else { throw ParseError(message: "duration '\(text)' is too long", offset: start) }
                number = sum
                index += 1
            }
            guard index > start else {
                throw ParseError(message: "invalid duration '\(text)': expected a number at '\(String(chars[index...]))'; \(example)",
                                 offset: index)
            }
            let unitStart = index
            while index < chars.count, chars[index].isLetter { index += 1 }
            let unit = String(chars[unitStart..<index])
            guard !unit.isEmpty else {
                throw ParseError(message: "duration '\(text)' has no unit after \(number); \(example)", offset: unitStart)
            }
            guard let rank = units.firstIndex(where: { $0.name == unit }) else {
                throw ParseError(message: "unknown unit '\(unit)' in duration '\(text)'; use ms, s, m, h, d or w", offset: unitStart)
            }
            guard rank > lastUnitRank else {
                throw ParseError(message: "duration '\(text)' repeats or reorders its units; write the largest unit first, like 1h30m",
                                 offset: unitStart)
            }
            lastUnitRank = rank
            let (part, overflow1) = number.multipliedReportingOverflow(by: units[rank].milliseconds)
            let (sum, overflow2) = total.addingReportingOverflow(part)
            guard !overflow1, !overflow2 else { throw ParseError(message: "duration '\(text)' is too long", offset: start) }
            total = sum
        }
        return .milliseconds(total)
    }

    /// The shortest text that parses back to `duration` (whole milliseconds): `1h30m`, `250ms`, `0s`.
    public static func format(_ duration: Duration) -> String {
        var remaining = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        guard remaining > 0 else { return "0s" }
        var text = ""
        for unit in units where remaining >= unit.milliseconds {
            text += "\(remaining / unit.milliseconds)\(unit.name)"
            remaining %= unit.milliseconds
        }
        return text
    }
}

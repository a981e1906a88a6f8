

/// A request budget such as `5/s`, `300/m` or `450/15m`.
public struct RequestRate: Sendable, Hashable, CustomStringConvertible {
    /// Requests allowed per period (also the largest burst).
    public var count: Int
    /// The period.
    public var period: Duration

    /// Creates a rate; `count` and `period` must be positive.
    public init(count: Int, period: Duration) {
        precondition(count > 0 && period > .zero, "a rate needs a positive count and period")
        self.count = count
        self.period = period
    }

    /// Parses `N/s`, `N/m`, `N/h`, `N/d` or `N/<number><unit>` (`450/15m`, `10/500ms`).
    public init(parsing text: String) throws(RateParseError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), count > 0 else {
            throw RateParseError(text: text)
        }
        var periodText = Substring(parts[1])
        let digits = periodText.prefix { $0.isASCII && $0.isNumber }
        periodText = periodText.dropFirst(digits.count)
        let multiple = digits.isEmpty ? 1 : Int64(digits) ?? 0
        let unit: Duration
        switch periodText {
        case "ms": unit = .milliseconds(1)
        case "s": unit = .seconds(1)
        case "m": unit = .seconds(60)
        case "h": unit = .seconds(3600)
        case "d": unit = .seconds(86_400)
        default: throw RateParseError(text: text)
        }
        guard multiple > 0 else { throw RateParseError(text: text) }
        self.init(count: count, period: unit * multiple)
    }

    /// The time it takes to earn back one request.
    public var interval: Duration { period / count }

    /// `count/period`, e.g. `450/900.0 seconds`.
    public var description: String { "\(count)/\(period)" }
}

import Foundation

/// A request budget such as `5/s`, `300/m` or `1000/h`, enforced as a token bucket.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    /// Requests allowed per period.
    public var count: Int
    /// The period.
    public var period: Duration

    /// Creates a rate limit.
    public init(count: Int, period: Duration) {
        self.count = count
        self.period = period
    }

    /// Parses `N/s`, `N/m`, `N/h`, `N/d`, or `N/<duration>` such as `450/15m`.
    public init(parsing text: String) throws(DurationText.ParseError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let hint = "write requests per period, like 5/s, 300/m, 1000/h or 450/15m"
        guard parts.count == 2 else {
            throw DurationText.ParseError(message: "invalid rate limit '\(text)'; \(hint)", offset: 0)
        }
        guard let count = Int(parts[0].trimmingCharacters(in: .whitespaces)), count > 0 else {
            throw DurationText.ParseError(message: "rate limit '\(text)' needs a positive whole number of requests; \(hint)", offset: 0)
        }
        let periodText = parts[1].trimmingCharacters(in: .whitespaces)
        let offset = parts[0].count + 1
        let period: Duration
        switch periodText {
        case "s", "sec", "second": period = .seconds(1)
        case "m", "min", "minute": period = .seconds(60)
        case "h", "hour": period = .seconds(3600)
        case "d", "day": period = .seconds(86_400)
        default:
            do {
                period = try DurationText.parse(periodText)
            } catch {
                throw DurationText.ParseError(message: "invalid period '\(periodText)' in rate limit '\(text)'; \(hint)", offset: offset)
            }
        }
        guard period > .zero else {
            throw DurationText.ParseError(message: "rate limit '\(text)' has an empty period; \(hint)", offset: offset)
        }
        self.count = count
        self.period = period
    }

    /// `count/period`, e.g. `5/1s`.
    public var description: String { "\(count)/\(DurationText.format(period))" }
}

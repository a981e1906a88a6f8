

/// A rate that could not be read.
public struct RateParseError: Error, Sendable, CustomStringConvertible {
    /// The text given.
    public var text: String
    /// What to write instead.
    public var description: String {
        "invalid rate limit '\(text)'; write requests per period, like 5/s, 300/m, 1000/h or 450/15m"
    }
}



/// A kind of failure that a step retries, or a status that a step accepts.
public enum RetryCondition: Sendable, Hashable {
    /// A connection failure (refused, reset, DNS).
    case network
    /// An attempt that exceeded its timeout.
    case timeout
    /// One HTTP status.
    case status(Int)
    /// A class of statuses: 4 for 4xx, 5 for 5xx.
    case statusClass(Int)

    /// Network errors, timeouts, 429 and 5xx.
    public static let defaults: [RetryCondition] = [.network, .timeout, .status(429), .statusClass(5)]

    /// Whether this condition covers `status`.
    public func matches(status: Int) -> Bool {
        switch self {
        case .status(let s): return s == status
        case .statusClass(let c): return status / 100 == c
        case .network, .timeout: return false
        }
    }
}

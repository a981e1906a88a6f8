

/// The delay between attempts: constant or exponential, with optional full jitter.
public struct Backoff: Sendable, Hashable {
    /// How the delay grows.
    public enum Strategy: String, Sendable, Hashable {
        /// The same delay every time (`initial`).
        case constant
        /// `initial`, doubling on every retry, up to `max`.
        case exponential
    }

    /// How the delay grows.
    public var strategy: Strategy
    /// The first delay.
    public var initial: Duration
    /// The largest delay.
    public var max: Duration
    /// Whether each delay is drawn uniformly between zero and its computed value ("full
    /// jitter"), which spreads out clients that failed together.
    public var jitter: Bool

    /// Creates a backoff.
    public init(strategy: Strategy = .exponential, initial: Duration = .seconds(1), max: Duration = .seconds(60), jitter: Bool = true) {
        self.strategy = strategy
        self.initial = initial
        self.max = Swift.max(max, initial)
        self.jitter = jitter
    }

    /// The delay before retry number `retry` (1 for the wait after the first failed attempt),
    /// before jitter: `min(max, initial × 2^(retry-1))` for exponential, `initial` for constant.
    public func ceiling(retry: Int) -> Duration {
        switch strategy {
        case .constant:
            return initial
        case .exponential:
            let exponent = Swift.max(0, Swift.min(retry - 1, 62))
            let scaled = initial.seconds * Double(UInt64(1) << UInt64(exponent))
            return scaled >= max.seconds ? max : Duration.seconds(scaled)
        }
    }

    /// The delay before retry number `retry`, drawing jitter from `generator`.
    public func delay(retry: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = ceiling(retry: retry)
        guard jitter, ceiling > .zero else { return ceiling }
        // One draw of a uniform fraction (no rejection loop), scaled to the ceiling.
        let fraction = Double(generator.next() >> 11) / Double((UInt64(1) << 53) - 1)
        return .nanoseconds(Int64((Double(ceiling.nanoseconds) * fraction).rounded()))
    }

    /// The delay before retry number `retry`, jittered with the system's generator.
    public func delay(retry: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(retry: retry, using: &generator)
    }

    /// The wait before retrying after `error`: the backoff delay, or the server's `Retry-After`
    /// when that asks for longer.
    public func delay(retry: Int, after error: StepCallError, using generator: inout some RandomNumberGenerator) -> Duration {
        let computed = delay(retry: retry, using: &generator)
        guard let retryAfter = error.retryAfter else { return computed }
        return Swift.max(computed, retryAfter)
    }
}

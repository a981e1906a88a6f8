import Synchronization

/// The rate limiters of a process, one per key, created on first use.
public final class RateLimiterRegistry<C: Clock>: Sendable where C.Duration == Duration, C: Sendable {
    private let clock: C
    private let limiters = Mutex<[String: RateLimiter<C>]>([:])

    /// Creates an empty registry whose limiters read `clock`.
    public init(clock: C) {
        self.clock = clock
    }

    /// The limiter for `key`; a new one if the key is new or its rate changed (a reloaded
    /// workflow), else the one everybody with that key shares.
    public func limiter(for key: String, rate: RequestRate) -> RateLimiter<C> {
        limiters.withLock { limiters in
            if let existing = limiters[key], existing.rate == rate { return existing }
            let limiter = RateLimiter(key: key, rate: rate, clock: clock)
            limiters[key] = limiter
            return limiter
        }
    }

    /// Waits for a token of `key`'s bucket.
    public func acquire(_ key: String, rate: RequestRate) async throws {
        try await limiter(for: key, rate: rate).acquire()
    }
}

extension RateLimiterRegistry where C == ContinuousClock {
    /// A registry on the continuous clock.
    public convenience init() {
        self.init(clock: ContinuousClock())
    }
}

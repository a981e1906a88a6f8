

/// A token bucket as a pure state machine: `count` tokens at most, one earned back every
/// `interval`. Callers reserve a token and are told how long to wait for it; the balance may go
/// below zero, which queues later callers behind earlier ones in arrival order.
public struct TokenBucket<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// The budget.
    public let rate: RequestRate
    /// Tokens available (negative when callers are waiting), as of `updated`.
    public private(set) var tokens: Double
    /// When `tokens` was last brought up to date.
    public private(set) var updated: Instant

    /// A full bucket at `now`.
    public init(rate: RequestRate, now: Instant) {
        self.rate = rate
        self.tokens = Double(rate.count)
        self.updated = now
    }

    /// What the caller of ``reserve(now:)`` must do.
    public enum Action: Sendable, Equatable {
        /// Go ahead now.
        case proceed
        /// Wait this long, then go ahead (the token is already reserved).
        case wait(Duration)
    }

    /// Takes one token, earning back what the time since the last call allows.
    public mutating func reserve(now: Instant) -> Action {
        refill(now: now)
        tokens -= 1
        if tokens >= 0 { return .proceed }
        return .wait(rate.interval * (-tokens))
    }

    /// Gives back a token reserved by a caller who stopped waiting.
    public mutating func cancelReservation(now: Instant) {
        refill(now: now)
        tokens = min(Double(rate.count), tokens + 1)
    }

    private mutating func refill(now: Instant) {
        let elapsed = updated.duration(to: now)
        guard elapsed > .zero else { return }
        tokens = min(Double(rate.count), tokens + elapsed / rate.interval)
        updated = now
    }
}

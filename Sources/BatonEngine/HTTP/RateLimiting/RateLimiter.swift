import Synchronization

/// One token bucket shared by everyone who calls with the same key.
public actor RateLimiter<C: Clock> where C.Duration == Duration {
    /// The key (a connection's or step's name).
    public nonisolated let key: String
    /// The budget.
    public nonisolated let rate: RequestRate
    private let clock: C
    private var bucket: TokenBucket<C.Instant>

    /// Creates a full bucket.
    public init(key: String, rate: RequestRate, clock: C) {
        self.key = key
        self.rate = rate
        self.clock = clock
        self.bucket = TokenBucket(rate: rate, now: clock.now)
    }

    /// Waits until a request may be sent. Waiting is one sleep on the clock (no polling) and
    /// ends with `CancellationError` when the task is cancelled, giving its token back.
    public func acquire() async throws {
        try Task.checkCancellation()
        switch bucket.reserve(now: clock.now) {
        case .proceed:
            return
        case .wait(let delay):
            do {
                try await clock.sleep(for: delay)
            } catch {
                bucket.cancelReservation(now: clock.now)
                throw error
            }
        }
    }
}

import Testing
@testable import BatonEngine

/// Token buckets per key, waiting on an injected clock.
@Suite struct RateLimiterTests {
    @Test func parsesRates() throws {
        #expect(try RequestRate(parsing: "5/s") == RequestRate(count: 5, period: .seconds(1)))
        #expect(try RequestRate(parsing: "300/m") == RequestRate(count: 300, period: .seconds(60)))
        #expect(try RequestRate(parsing: "450/15m") == RequestRate(count: 450, period: .seconds(900)))
        #expect(try RequestRate(parsing: "450/15m").interval == .seconds(2))
        let error = #expect(throws: RateParseError.self) { try RequestRate(parsing: "5 per second") }
        #expect(error?.description == "invalid rate limit '5 per second'; write requests per period, like 5/s, 300/m, 1000/h or 450/15m")
        #expect(throws: RateParseError.self) { try RequestRate(parsing: "0/s") }
        #expect(throws: RateParseError.self) { try RequestRate(parsing: "5/0m") }
    }

    @Test func bucketAllowsABurstThenQueuesCallersInOrder() {
        let clock = ManualClock()
        var bucket = TokenBucket(rate: RequestRate(count: 5, period: .seconds(1)), now: clock.now)
        for _ in 0..<5 { #expect(bucket.reserve(now: clock.now) == .proceed) }
        #expect(bucket.reserve(now: clock.now) == .wait(.milliseconds(200)))
        #expect(bucket.reserve(now: clock.now) == .wait(.milliseconds(400)))
        clock.advance(by: .seconds(1))
        // 1 s earns 5 tokens, 2 of which pay for the queued callers.
        for _ in 0..<3 { #expect(bucket.reserve(now: clock.now) == .proceed) }
        #expect(bucket.reserve(now: clock.now) == .wait(.milliseconds(200)))
    }

    @Test func bucketNeverHoldsMoreThanItsCount() {
        let clock = ManualClock()
        var bucket = TokenBucket(rate: RequestRate(count: 2, period: .seconds(10)), now: clock.now)
        clock.advance(by: .seconds(3600))
        #expect(bucket.reserve(now: clock.now) == .proceed)
        #expect(bucket.reserve(now: clock.now) == .proceed)
        #expect(bucket.reserve(now: clock.now) == .wait(.seconds(5)))
    }

    @Test func acquireWaitsOnTheClockWithoutPolling() async throws {
        let clock = ManualClock()
        let registry = RateLimiterRegistry(clock: clock)
        let rate = RequestRate(count: 2, period: .seconds(1))
        try await registry.acquire("mastodon", rate: rate)
        try await registry.acquire("mastodon", rate: rate)
        let done = Counter()
        let waiter = Task {
            try await registry.acquire("mastodon", rate: rate)
            _ = done.increment()
        }
        await clock.waitForSleepers(1)
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .milliseconds(499))
        try await Task.sleep(for: .milliseconds(20))
        #expect(done.current == 0)
        clock.advance(by: .milliseconds(1))
        try await waiter.value
        #expect(done.current == 1)
        // Another key has its own bucket.
        try await registry.acquire("bluesky", rate: rate)
        #expect(clock.sleeperCount == 0)
    }

    @Test func sameKeySharesOneBucket() {
        let registry = RateLimiterRegistry(clock: ManualClock())
        let rate = RequestRate(count: 5, period: .seconds(1))
        #expect(registry.limiter(for: "api", rate: rate) === registry.limiter(for: "api", rate: rate))
        #expect(registry.limiter(for: "api", rate: rate) !== registry.limiter(for: "other", rate: rate))
    }

    @Test func cancelledWaiterGivesItsTokenBack() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(key: "k", rate: RequestRate(count: 1, period: .seconds(10)), clock: clock)
        try await limiter.acquire()
        let waiter = Task { try await limiter.acquire() }
        await clock.waitForSleepers(1)
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(clock.sleeperCount == 0)
        // Ten seconds earn one token; the cancelled waiter's reservation was returned, so it is free.
        clock.advance(by: .seconds(10))
        try await limiter.acquire()
        #expect(clock.sleeperCount == 0)
    }
}

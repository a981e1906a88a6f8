import Foundation
import Hummingbird
import Testing
@testable import BatonEngine

/// Retry classification, backoff and Retry-After.
@Suite struct RetryTests {
    static func error(_ kind: StepCallError.Kind, retryAfter: Duration? = nil) -> StepCallError {
        StepCallError(kind, message: "m", method: "GET", url: "http://127.0.0.1/x", retryAfter: retryAfter)
    }

    @Test func defaultClassification() {
        let classifier = RetryClassifier()
        #expect(classifier.isRetryable(Self.error(.network)))
        #expect(classifier.isRetryable(Self.error(.timeout)))
        #expect(classifier.isRetryable(Self.error(.unexpectedStatus(status: 429, body: nil))))
        #expect(classifier.isRetryable(Self.error(.unexpectedStatus(status: 503, body: nil))))
        #expect(!classifier.isRetryable(Self.error(.unexpectedStatus(status: 400, body: nil))))
        #expect(!classifier.isRetryable(Self.error(.unexpectedStatus(status: 404, body: nil))))
        #expect(!classifier.isRetryable(Self.error(.graphql(errors: []))))
        #expect(!classifier.isRetryable(Self.error(.soapFault(code: "soap:Server", string: "x", detail: nil))))
        #expect(!classifier.isRetryable(Self.error(.tooLarge(limit: 1))))
        #expect(!classifier.isRetryable(CancellationError()))
    }

    @Test func configuredClassification() {
        let classifier = RetryClassifier(conditions: [.status(409), .statusClass(4)])
        #expect(classifier.isRetryable(Self.error(.unexpectedStatus(status: 409, body: nil))))
        #expect(classifier.isRetryable(Self.error(.unexpectedStatus(status: 418, body: nil))))
        #expect(!classifier.isRetryable(Self.error(.unexpectedStatus(status: 500, body: nil))))
        #expect(!classifier.isRetryable(Self.error(.network)))
        #expect(!classifier.isRetryable(Self.error(.timeout)))
    }

    @Test func exponentialCeilingsDoubleUpToMax() {
        let backoff = Backoff(strategy: .exponential, initial: .seconds(1), max: .seconds(10), jitter: false)
        #expect((1...6).map { backoff.ceiling(retry: $0) } == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10)])
        #expect(backoff.ceiling(retry: 500) == .seconds(10))
        #expect(backoff.delay(retry: 3) == .seconds(4))
    }

    @Test func fullJitterDrawsBetweenZeroAndTheCeiling() {
        let backoff = Backoff(strategy: .exponential, initial: .milliseconds(500), max: .seconds(60), jitter: true)
        var low = FixedRandom(fraction: 0)
        var high = FixedRandom(fraction: 1)
        var middle = FixedRandom(fraction: 0.5)
        #expect(backoff.delay(retry: 3, using: &low) == .zero)
        #expect(backoff.delay(retry: 3, using: &high) == .seconds(2))
        #expect(backoff.delay(retry: 3, using: &middle) == .seconds(1))
        var system = SystemRandomNumberGenerator()
        for retry in 1...20 {
            let delay = backoff.delay(retry: retry, using: &system)
            #expect(delay >= .zero && delay <= backoff.ceiling(retry: retry))
        }
    }

    @Test func constantBackoff() {
        let backoff = Backoff(strategy: .constant, initial: .seconds(5), max: .seconds(60), jitter: false)
        #expect(backoff.delay(retry: 1) == .seconds(5))
        #expect(backoff.delay(retry: 9) == .seconds(5))
    }

    @Test func retryAfterIsHonouredOnlyWhenLonger() {
        let backoff = Backoff(initial: .seconds(4), max: .seconds(60), jitter: false)
        var random = FixedRandom(fraction: 1)
        #expect(backoff.delay(retry: 1, after: Self.error(.unexpectedStatus(status: 429, body: nil), retryAfter: .seconds(1)), using: &random) == .seconds(4))
        #expect(backoff.delay(retry: 1, after: Self.error(.unexpectedStatus(status: 429, body: nil), retryAfter: .seconds(30)), using: &random) == .seconds(30))
        #expect(backoff.delay(retry: 2, after: Self.error(.network), using: &random) == .seconds(8))
    }

    @Test func executorStyleLoopRetriesWithTheSameIdempotencyKey() async throws {
        let calls = Counter()
        try await withTestServer({ router, _ in
            router.post("/charge") { _, _ in
                calls.increment() < 3
                    ? reply(.serviceUnavailable, #"{"error":"busy"}"#, headers: [("Retry-After", "0")])
                    : reply(.created, #"{"id":"ch_1"}"#)
            }
        }) { base, log, client in
            // The loop the executor runs, with the pieces this layer provides.
            let classifier = RetryClassifier()
            let backoff = Backoff(initial: .milliseconds(1), max: .milliseconds(4))
            var random = FixedRandom(fraction: 0.5)
            let call = HTTPCall(request: PreparedRequest(method: "POST", url: base + "/charge", body: .json(["amount": 100])),
                                idempotencyKey: "run-7-charge")
            var result: HTTPResult?
            var failures: [String] = []
            for attempt in 1...5 {
                do {
                    result = try await client.perform(call)
                    break
                } catch let error as StepCallError where classifier.isRetryable(error) {
                    failures.append(error.code)
                    try await Task.sleep(for: backoff.delay(retry: attempt, after: error, using: &random))
                }
            }
            #expect(result?.body?["id"] == "ch_1")
            #expect(failures == ["unexpected_status", "unexpected_status"])
            #expect(log.all.map { $0.header("Idempotency-Key") } == ["run-7-charge", "run-7-charge", "run-7-charge"])
        }
    }

    @Test func retryAfterForms() {
        let now = Date(timeIntervalSince1970: 784_111_717)  // Sun, 06 Nov 1994 08:48:37 GMT
        #expect(RetryAfter.parse("120", now: now) == .seconds(120))
        #expect(RetryAfter.parse(" 0 ", now: now) == .zero)
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == .seconds(60))
        #expect(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", now: now) == .seconds(60))
        #expect(RetryAfter.parse("Sun Nov  6 08:49:37 1994", now: now) == .seconds(60))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == .zero)
        #expect(RetryAfter.parse("-5", now: now) == nil)
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse("99999999999999999999", now: now) == nil)
        #expect(RetryAfter.format(now) == "Sun, 06 Nov 1994 08:48:37 GMT")
    }
}

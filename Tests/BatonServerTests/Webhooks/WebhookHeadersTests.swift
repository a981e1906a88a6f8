import Testing
@testable import BatonServer

/// Case-insensitive header lookup.
struct WebhookHeadersTests {
    @Test func findsHeadersWhateverTheirCase() {
        let headers = WebhookHeaders([("Content-Type", "application/json"), ("x-hub-signature-256", "sha256=ab")])
        #expect(headers["content-type"] == "application/json")
        #expect(headers["CONTENT-TYPE"] == "application/json")
        #expect(headers["X-Hub-Signature-256"] == "sha256=ab")
        #expect(headers["X-Hub-Signature"] == nil)
    }

    @Test func returnsTheFirstOfRepeatedHeaders() {
        let headers = WebhookHeaders([("X-Token", "first"), ("x-token", "second")])
        #expect(headers["X-TOKEN"] == "first")
    }

    @Test func keepsEmptyValuesAndTheOriginalPairs() {
        let headers = WebhookHeaders([("X-Empty", "")])
        #expect(headers["x-empty"] == "")
        #expect(headers.pairs.map(\.name) == ["X-Empty"])
    }
}

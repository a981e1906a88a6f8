import BatonCore
import Foundation
import Testing
@testable import BatonServer

/// Slack's `X-Slack-Signature: v0=<hex>` over "v0:<X-Slack-Request-Timestamp>:<body>".
struct SlackSignatureTests {
    typealias F = WebhookFixture

    static func headers(signature: String = "v0=" + F.slackV0, timestamp: String = "\(F.signedAt)") -> [(String, String)] {
        [("X-Slack-Request-Timestamp", timestamp), ("X-Slack-Signature", signature)]
    }

    @Test func acceptsACorrectlySignedRequest() throws {
        let trigger = try F.trigger("scheme: slack")
        #expect(trigger.signatureHeader == "X-Slack-Signature")
        #expect(trigger.signaturePrefix == "v0=")
        #expect(F.verify(trigger, headers: Self.headers(), body: F.slackBody) == .accepted)
    }

    @Test func acceptsUppercaseHexAndLowercaseHeaderNames() throws {
        let trigger = try F.trigger("scheme: slack")
        let headers = [("x-slack-request-timestamp", "\(F.signedAt)"), ("x-slack-signature", "v0=" + F.slackV0.uppercased())]
        #expect(F.verify(trigger, headers: headers, body: F.slackBody) == .accepted)
    }

    @Test func rejectsTheWrongSecret() throws {
        let trigger = try F.trigger("scheme: slack")
        F.expectRejected(F.verify(trigger, headers: Self.headers(), body: F.slackBody, secret: "8f742231b10e8888abcd"),
                         "signature does not match")
    }

    @Test func rejectsABodyChangedByOneByte() throws {
        let trigger = try F.trigger("scheme: slack")
        F.expectRejected(F.verify(trigger, headers: Self.headers(), body: F.tampered(F.slackBody)),
                         "signature does not match")
    }

    @Test func rejectsAChangedTimestamp() throws {
        let trigger = try F.trigger("scheme: slack")
        F.expectRejected(F.verify(trigger, headers: Self.headers(timestamp: "\(F.signedAt - 1)"), body: F.slackBody),
                         "signature does not match")
    }

    @Test func rejectsMissingHeaders() throws {
        let trigger = try F.trigger("scheme: slack")
        F.expectRejected(F.verify(trigger, headers: [("X-Slack-Request-Timestamp", "\(F.signedAt)")], body: F.slackBody),
                         "missing header X-Slack-Signature")
        F.expectRejected(F.verify(trigger, headers: [("X-Slack-Signature", "v0=" + F.slackV0)], body: F.slackBody),
                         "missing header X-Slack-Request-Timestamp")
    }

    @Test(arguments: [
        (headers(signature: F.slackV0), "malformed X-Slack-Signature header: expected it to start with 'v0='"),
        (headers(signature: "v0=xyz"), "malformed X-Slack-Signature header: the signature is not hex"),
        (headers(timestamp: "2026-01-01T00:00:00Z"),
         "malformed X-Slack-Request-Timestamp header: expected a Unix time in seconds"),
        (headers(timestamp: "1767225600.5"), "malformed X-Slack-Request-Timestamp header: expected a Unix time in seconds"),
    ])
    func rejectsMalformedHeaders(headers: [(String, String)], reason: String) throws {
        let trigger = try F.trigger("scheme: slack")
        F.expectRejected(F.verify(trigger, headers: headers, body: F.slackBody), reason)
    }

    @Test(arguments: [(-300.0, true), (300.0, true), (-301.0, false), (301.0, false), (600.0, false)])
    func checksTheTimestampAgainstTheTolerance(offset: Double, accepted: Bool) throws {
        let trigger = try F.trigger("scheme: slack")
        let result = F.verify(trigger, headers: Self.headers(), body: F.slackBody, now: F.signedDate.addingTimeInterval(offset))
        if accepted {
            #expect(result == .accepted)
        } else {
            F.expectRejected(result, "timestamp outside the 5m tolerance")
        }
    }

    @Test func usesTheConfiguredTolerance() throws {
        let trigger = try F.trigger("scheme: slack", "tolerance: 1m30s")
        #expect(F.verify(trigger, headers: Self.headers(), body: F.slackBody, now: F.signedDate.addingTimeInterval(90))
            == .accepted)
        F.expectRejected(F.verify(trigger, headers: Self.headers(), body: F.slackBody,
                                  now: F.signedDate.addingTimeInterval(91)),
                         "timestamp outside the 1m30s tolerance")
    }
}

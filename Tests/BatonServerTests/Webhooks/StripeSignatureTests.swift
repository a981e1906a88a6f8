import BatonCore
import Foundation
import Testing
@testable import BatonServer

/// Stripe's `Stripe-Signature: t=<time>,v1=<hex>`, signed over "<t>.<body>", within the tolerance.
struct StripeSignatureTests {
    typealias F = WebhookFixture

    static func header(_ value: String) -> [(String, String)] { [("Stripe-Signature", value)] }
    static let valid = "t=\(F.signedAt),v1=\(F.stripeV1)"

    @Test func acceptsACorrectlySignedDelivery() throws {
        let trigger = try F.trigger("scheme: stripe")
        #expect(trigger.signatureHeader == "Stripe-Signature")
        #expect(trigger.tolerance == .seconds(300))
        #expect(F.verify(trigger, headers: Self.header(Self.valid), body: F.stripeBody) == .accepted)
    }

    /// While a secret is being rolled Stripe sends one v1 per secret, plus v0 in test mode.
    @Test(arguments: [
        "t=\(F.signedAt),v1=\(String(repeating: "ab", count: 32)),v1=\(F.stripeV1),v0=\(String(repeating: "0", count: 64))",
        "t=\(F.signedAt), v1=\(F.stripeV1.uppercased())",
        "v1=\(F.stripeV1),t=\(F.signedAt)",
        "t=\(F.signedAt),v1=not-hex,v1=\(F.stripeV1),scheme=x",
    ])
    func acceptsAnyMatchingV1(value: String) throws {
        let trigger = try F.trigger("scheme: stripe")
        #expect(F.verify(trigger, headers: Self.header(value), body: F.stripeBody) == .accepted)
    }

    @Test func rejectsTheWrongSecret() throws {
        let trigger = try F.trigger("scheme: stripe")
        F.expectRejected(F.verify(trigger, headers: Self.header(Self.valid), body: F.stripeBody, secret: "whsec_other"),
                         "signature does not match")
    }

    @Test func rejectsABodyChangedByOneByte() throws {
        let trigger = try F.trigger("scheme: stripe")
        F.expectRejected(F.verify(trigger, headers: Self.header(Self.valid), body: F.tampered(F.stripeBody)),
                         "signature does not match")
    }

    /// The timestamp is signed: changing it breaks the signature even inside the tolerance.
    @Test func rejectsAChangedTimestamp() throws {
        let trigger = try F.trigger("scheme: stripe")
        let value = "t=\(F.signedAt + 1),v1=\(F.stripeV1)"
        F.expectRejected(F.verify(trigger, headers: Self.header(value), body: F.stripeBody), "signature does not match")
    }

    @Test func rejectsAMissingHeader() throws {
        let trigger = try F.trigger("scheme: stripe")
        F.expectRejected(F.verify(trigger, headers: [("X-Signature", Self.valid)], body: F.stripeBody),
                         "missing header Stripe-Signature")
    }

    @Test(arguments: [
        "v1=\(F.stripeV1)",
        "t=\(F.signedAt)",
        "t=\(F.signedAt),v0=\(F.stripeV1)",
        "t=soon,v1=\(F.stripeV1)",
        "t=-\(F.signedAt),v1=\(F.stripeV1)",
        "t=\(F.signedAt),t=\(F.signedAt),v1=\(F.stripeV1)",
        "t=\(F.signedAt),\(F.stripeV1)",
        F.stripeV1,
    ])
    func rejectsAMalformedHeader(value: String) throws {
        let trigger = try F.trigger("scheme: stripe")
        F.expectRejected(F.verify(trigger, headers: Self.header(value), body: F.stripeBody),
                         "malformed Stripe-Signature header: expected t=<unix time>,v1=<signature>")
    }

    /// 300 seconds either side of the signed time is inside; one more is not.
    @Test(arguments: [(-300.0, true), (300.0, true), (299.5, true), (-301.0, false), (300.5, false), (86_400.0, false)])
    func checksTheTimestampAgainstTheTolerance(offset: Double, accepted: Bool) throws {
        let trigger = try F.trigger("scheme: stripe")
        let now = F.signedDate.addingTimeInterval(offset)
        let result = F.verify(trigger, headers: Self.header(Self.valid), body: F.stripeBody, now: now)
        if accepted {
            #expect(result == .accepted)
        } else {
            F.expectRejected(result, "timestamp outside the 5m tolerance")
        }
    }

    @Test func usesTheConfiguredTolerance() throws {
        let trigger = try F.trigger("scheme: stripe", "tolerance: 30s")
        let inside = F.verify(trigger, headers: Self.header(Self.valid), body: F.stripeBody,
                              now: F.signedDate.addingTimeInterval(30))
        #expect(inside == .accepted)
        let outside = F.verify(trigger, headers: Self.header(Self.valid), body: F.stripeBody,
                               now: F.signedDate.addingTimeInterval(31))
        F.expectRejected(outside, "timestamp outside the 30s tolerance")
    }

    /// A stale delivery with a bad signature is told only that the signature is wrong.
    @Test func aBadSignatureIsReportedBeforeAStaleTimestamp() throws {
        let trigger = try F.trigger("scheme: stripe")
        let result = F.verify(trigger, headers: Self.header(Self.valid), body: F.stripeBody,
                              now: F.signedDate.addingTimeInterval(3600), secret: "other")
        F.expectRejected(result, "signature does not match")
    }
}

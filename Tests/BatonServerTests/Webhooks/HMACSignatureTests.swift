import BatonCore
import Testing
@testable import BatonServer

/// The generic `hmac-sha256` and `hmac-sha1` schemes: a configured header, optional prefix,
/// hex or base64.
struct HMACSignatureTests {
    typealias F = WebhookFixture

    struct Case: Sendable, CustomTestStringConvertible {
        var settings: [String]
        var header: String
        var signature: String
        var testDescription: String { settings.joined(separator: ", ") }
    }

    static let accepted: [Case] = [
        Case(settings: ["scheme: hmac-sha256", "signature_header: X-Signature"], header: "X-Signature",
             signature: F.helloSHA256Hex),
        // The checker's default when only a header is named is hmac-sha256.
        Case(settings: ["signature_header: X-Signature"], header: "X-Signature", signature: F.helloSHA256Hex),
        Case(settings: ["scheme: hmac-sha256", "signature_header: X-Signature"], header: "X-Signature",
             signature: F.helloSHA256Hex.uppercased()),
        Case(settings: ["scheme: hmac-sha256", "signature_header: X-Signature", "signature_encoding: base64"],
             header: "X-Signature", signature: F.helloSHA256Base64),
        Case(settings: ["scheme: hmac-sha256", "signature_header: X-Signature", "signature_prefix: sha256="],
             header: "X-Signature", signature: "sha256=" + F.helloSHA256Hex),
        // Prefixes are matched without regard to ASCII case.
        Case(settings: ["scheme: hmac-sha256", "signature_header: X-Signature", "signature_prefix: sha256="],
             header: "X-Signature", signature: "SHA256=" + F.helloSHA256Hex),
        Case(settings: ["scheme: hmac-sha1", "signature_header: X-Hub-Signature", "signature_prefix: sha1="],
             header: "X-Hub-Signature", signature: "sha1=" + F.helloSHA1Hex),
        Case(settings: ["scheme: hmac-sha1", "signature_header: X-Signature"], header: "X-Signature",
             signature: F.helloSHA1Hex.uppercased()),
        Case(settings: ["scheme: hmac-sha1", "signature_header: X-Signature", "signature_encoding: base64"],
             header: "X-Signature", signature: F.helloSHA1Base64),
    ]

    @Test(arguments: accepted)
    func acceptsACorrectlySignedBody(_ example: Case) throws {
        let trigger = try F.trigger(example.settings)
        #expect(F.verify(trigger, headers: [(example.header, example.signature)], body: F.helloBody) == .accepted)
    }

    @Test(arguments: accepted)
    func rejectsTheWrongSecret(_ example: Case) throws {
        let trigger = try F.trigger(example.settings)
        let result = F.verify(trigger, headers: [(example.header, example.signature)], body: F.helloBody, secret: "other")
        F.expectRejected(result, "signature does not match")
    }

    @Test(arguments: accepted)
    func rejectsABodyChangedByOneByte(_ example: Case) throws {
        let trigger = try F.trigger(example.settings)
        let result = F.verify(trigger, headers: [(example.header, example.signature)], body: F.tampered(F.helloBody))
        F.expectRejected(result, "signature does not match")
    }

    @Test(arguments: accepted)
    func rejectsAMissingHeader(_ example: Case) throws {
        let trigger = try F.trigger(example.settings)
        F.expectRejected(F.verify(trigger, headers: [], body: F.helloBody), "missing header \(example.header)")
    }

    /// A SHA-1 signature is not accepted where SHA-256 is configured, and the reverse.
    @Test func theAlgorithmMatters() throws {
        let sha256 = try F.trigger("scheme: hmac-sha256", "signature_header: X-Signature")
        F.expectRejected(F.verify(sha256, headers: [("X-Signature", F.helloSHA1Hex)], body: F.helloBody),
                         "signature does not match")
        let sha1 = try F.trigger("scheme: hmac-sha1", "signature_header: X-Signature")
        F.expectRejected(F.verify(sha1, headers: [("X-Signature", F.helloSHA256Hex)], body: F.helloBody),
                         "signature does not match")
    }

    @Test func rejectsHexWhereBase64IsConfigured() throws {
        let trigger = try F.trigger("scheme: hmac-sha256", "signature_header: X-Signature", "signature_encoding: base64")
        F.expectRejected(F.verify(trigger, headers: [("X-Signature", "sha256=" + F.helloSHA256Hex)], body: F.helloBody),
                         "malformed X-Signature header: the signature is not base64")
        // Valid base64 text, but it decodes to other bytes than the MAC.
        F.expectRejected(F.verify(trigger, headers: [("X-Signature", F.helloSHA256Hex)], body: F.helloBody),
                         "signature does not match")
    }

    @Test func rejectsBase64WhereHexIsConfigured() throws {
        let trigger = try F.trigger("scheme: hmac-sha256", "signature_header: X-Signature")
        F.expectRejected(F.verify(trigger, headers: [("X-Signature", F.helloSHA256Base64)], body: F.helloBody),
                         "malformed X-Signature header: the signature is not hex")
    }

    @Test func rejectsAMissingPrefix() throws {
        let trigger = try F.trigger("scheme: hmac-sha1", "signature_header: X-Signature", "signature_prefix: sha1=")
        F.expectRejected(F.verify(trigger, headers: [("X-Signature", F.helloSHA1Hex)], body: F.helloBody),
                         "malformed X-Signature header: expected it to start with 'sha1='")
    }
}

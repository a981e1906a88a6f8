import BatonCore
import Testing
@testable import BatonServer

/// GitHub's `X-Hub-Signature-256: sha256=<hex>`, with the header and prefix the checker fills in.
struct GitHubSignatureTests {
    typealias F = WebhookFixture

    /// `scheme: github` alone: the checker supplies the header and the `sha256=` prefix.
    @Test func acceptsGitHubsDocumentedExample() throws {
        let trigger = try F.trigger("scheme: github")
        #expect(trigger.signatureHeader == "X-Hub-Signature-256")
        #expect(trigger.signaturePrefix == "sha256=")
        let result = F.verify(trigger, headers: [("X-Hub-Signature-256", "sha256=" + F.helloSHA256Hex)], body: F.helloBody)
        #expect(result == .accepted)
    }

    /// Naming GitHub's header is enough to get the GitHub scheme.
    @Test func schemeIsInferredFromTheHeaderName() throws {
        let trigger = try F.trigger("signature_header: x-hub-signature-256")
        #expect(trigger.scheme == .github)
        let result = F.verify(trigger, headers: [("x-hub-signature-256", "sha256=" + F.helloSHA256Hex)], body: F.helloBody)
        #expect(result == .accepted)
    }

    @Test func headerNameAndHexCaseDoNotMatter() throws {
        let trigger = try F.trigger("scheme: github")
        let result = F.verify(trigger, headers: [("X-HUB-SIGNATURE-256", "sha256=" + F.helloSHA256Hex.uppercased())],
                              body: F.helloBody)
        #expect(result == .accepted)
    }

    @Test func rejectsTheWrongSecret() throws {
        let trigger = try F.trigger("scheme: github")
        let result = F.verify(trigger, headers: [("X-Hub-Signature-256", "sha256=" + F.helloSHA256Hex)], body: F.helloBody,
                              secret: "It's a secret to everybody")
        F.expectRejected(result, "signature does not match")
    }

    @Test func rejectsABodyChangedByOneByte() throws {
        let trigger = try F.trigger("scheme: github")
        let result = F.verify(trigger, headers: [("X-Hub-Signature-256", "sha256=" + F.helloSHA256Hex)],
                              body: F.tampered(F.helloBody))
        F.expectRejected(result, "signature does not match")
    }

    @Test func rejectsAMissingHeader() throws {
        let trigger = try F.trigger("scheme: github")
        let result = F.verify(trigger, headers: [("X-Hub-Signature", "sha1=" + F.helloSHA1Hex)], body: F.helloBody)
        F.expectRejected(result, "missing header X-Hub-Signature-256")
    }

    @Test func rejectsAnEmptyHeader() throws {
        let trigger = try F.trigger("scheme: github")
        let result = F.verify(trigger, headers: [("X-Hub-Signature-256", "  ")], body: F.helloBody)
        F.expectRejected(result, "header X-Hub-Signature-256 is empty")
    }

    @Test(arguments: [
        // No prefix.
        (F.helloSHA256Hex, "malformed X-Hub-Signature-256 header: expected it to start with 'sha256='"),
        // Not hex.
        ("sha256=" + String(F.helloSHA256Hex.dropLast()) + "g", "malformed X-Hub-Signature-256 header: the signature is not hex"),
        // An odd number of digits.
        ("sha256=" + String(F.helloSHA256Hex.dropLast()), "malformed X-Hub-Signature-256 header: the signature is not hex"),
    ])
    func rejectsAMalformedHeader(value: String, reason: String) throws {
        let trigger = try F.trigger("scheme: github")
        F.expectRejected(F.verify(trigger, headers: [("X-Hub-Signature-256", value)], body: F.helloBody), reason)
    }

    /// A well-formed signature of the right length that is not the right one, or one cut short.
    @Test(arguments: [String(repeating: "0", count: 64), String(F.helloSHA256Hex.prefix(62)), F.helloSHA256Hex + "00"])
    func rejectsAWrongSignature(hex: String) throws {
        let trigger = try F.trigger("scheme: github")
        let result = F.verify(trigger, headers: [("X-Hub-Signature-256", "sha256=" + hex)], body: F.helloBody)
        F.expectRejected(result, "signature does not match")
    }

    /// The first header of a name counts, as for any header lookup.
    @Test func usesTheFirstOfRepeatedHeaders() throws {
        let trigger = try F.trigger("scheme: github")
        let headers = [("X-Hub-Signature-256", "sha256=" + F.helloSHA256Hex), ("x-hub-signature-256", "sha256=00")]
        #expect(F.verify(trigger, headers: headers, body: F.helloBody) == .accepted)
    }

    /// An empty secret would let anyone sign; it never accepts.
    @Test func rejectsEverythingWithAnEmptySecret() throws {
        let trigger = try F.trigger("scheme: github")
        let result = F.verify(trigger, headers: [("X-Hub-Signature-256", "sha256=" + F.helloSHA256Hex)], body: F.helloBody,
                              secret: "")
        F.expectRejected(result, "the webhook secret is empty")
    }
}

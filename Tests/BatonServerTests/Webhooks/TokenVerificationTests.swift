import BatonCore
import Testing
@testable import BatonServer

/// The `token` scheme: the header holds the secret itself, optionally after a prefix.
struct TokenVerificationTests {
    typealias F = WebhookFixture

    @Test func acceptsTheSecretInTheHeader() throws {
        let trigger = try F.trigger("scheme: token", "signature_header: X-Gitlab-Token")
        #expect(F.verify(trigger, headers: [("X-Gitlab-Token", F.secret)], body: F.helloBody) == .accepted)
        // The body plays no part.
        #expect(F.verify(trigger, headers: [("x-gitlab-token", F.secret)], body: "") == .accepted)
    }

    @Test func acceptsABearerToken() throws {
        let trigger = try F.trigger("scheme: token", "signature_header: Authorization", #"signature_prefix: "Bearer ""#)
        #expect(F.verify(trigger, headers: [("Authorization", "Bearer " + F.secret)], body: F.helloBody) == .accepted)
        #expect(F.verify(trigger, headers: [("Authorization", "bearer " + F.secret)], body: F.helloBody) == .accepted)
    }

    @Test(arguments: ["It's a Secret to Everybod", "It's a Secret to Everybody!", "it's a secret to everybody", "x"])
    func rejectsAnyOtherToken(token: String) throws {
        let trigger = try F.trigger("scheme: token", "signature_header: X-Token")
        F.expectRejected(F.verify(trigger, headers: [("X-Token", token)], body: F.helloBody), "token does not match")
    }

    @Test func rejectsTheWrongSecret() throws {
        let trigger = try F.trigger("scheme: token", "signature_header: X-Token")
        F.expectRejected(F.verify(trigger, headers: [("X-Token", F.secret)], body: F.helloBody, secret: "s3cr3t"),
                         "token does not match")
    }

    @Test func rejectsAMissingHeader() throws {
        let trigger = try F.trigger("scheme: token", "signature_header: X-Token")
        F.expectRejected(F.verify(trigger, headers: [("Authorization", F.secret)], body: F.helloBody),
                         "missing header X-Token")
    }

    @Test func rejectsAMissingPrefix() throws {
        let trigger = try F.trigger("scheme: token", "signature_header: Authorization", #"signature_prefix: "Bearer ""#)
        F.expectRejected(F.verify(trigger, headers: [("Authorization", F.secret)], body: F.helloBody),
                         "malformed Authorization header: expected it to start with 'Bearer '")
        F.expectRejected(F.verify(trigger, headers: [("Authorization", "Basic " + F.secret)], body: F.helloBody),
                         "malformed Authorization header: expected it to start with 'Bearer '")
    }

    /// An empty secret would accept an empty token.
    @Test func rejectsEverythingWithAnEmptySecret() throws {
        let trigger = try F.trigger("scheme: token", "signature_header: X-Token")
        F.expectRejected(F.verify(trigger, headers: [("X-Token", "")], body: F.helloBody, secret: ""),
                         "the webhook secret is empty")
    }
}

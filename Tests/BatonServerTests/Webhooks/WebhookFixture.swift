import BatonCore
import Foundation
import Testing
@testable import BatonServer

/// Webhook triggers loaded from YAML through the real checker, and signatures computed
/// independently (Python's `hmac` module) so the tests do not trust the code under test.
enum WebhookFixture {
    struct NoWebhook: Error {}

    /// The secret of GitHub's documented example, used throughout.
    static let secret = "It's a Secret to Everybody"
    /// 2026-01-01T00:00:00Z, the signed timestamp of the Stripe and Slack examples.
    static let signedAt: Int64 = 1_767_225_600
    static var signedDate: Date { Date(timeIntervalSince1970: TimeInterval(signedAt)) }

    /// GitHub's documented example: `sha256=` + HMAC-SHA256 of "Hello, World!".
    static let helloBody = "Hello, World!"
    static let helloSHA256Hex = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    static let helloSHA256Base64 = "dXEH6g6yUJ/CESIczphLijdXC211hsIsRvQ3nIsEPhc="
    static let helloSHA1Hex = "01dc10d0c83e72ed246219cdd91669667fe2ca59"
    static let helloSHA1Base64 = "AdwQ0Mg+cu0kYhnN2RZpZn/iylk="

    /// HMAC-SHA256 of "1767225600." + the body.
    static let stripeBody = #"{"id":"evt_1","type":"charge.succeeded"}"#
    static let stripeV1 = "2b3e6c745deb9b9abbbd79134216362b5194ea5c49f6544c64739846f8615abd"

    /// HMAC-SHA256 of "v0:1767225600:" + the body.
    static let slackBody = "token=abc&team_id=T1"
    static let slackV0 = "d151932935ce0ceefd1fbdad52b28a595b8f6b250edf9a79b73a5c11a24ee7bd"

    /// Every signature above, none of which may appear in a rejection reason.
    static let signatures = [helloSHA256Hex, helloSHA256Base64, helloSHA1Hex, helloSHA1Base64, stripeV1, slackV0]

    /// The webhook trigger of a workflow whose webhook has `settings` (YAML lines at webhook level)
    /// besides its path and `secret: ${{ secrets.HOOK }}`.
    static func trigger(_ settings: String..., sourceLocation: Testing.SourceLocation = #_sourceLocation) throws
        -> WebhookTrigger
    {
        try trigger(settings, sourceLocation: sourceLocation)
    }

    /// `trigger(_:)` with the settings as an array, for parameterized tests.
    static func trigger(_ settings: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws
        -> WebhookTrigger
    {
        let extra = settings.map { "      \($0)\n" }.joined()
        let text = """
            triggers:
              - webhook:
                  path: /hooks/test
                  secret: ${{ secrets.HOOK }}
            \(extra)steps:
              - id: noop
                transform:
                  ok: true

            """
        let result = WorkflowLoader.load(text: text, file: "hook.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)", sourceLocation: sourceLocation)
        guard let workflow = result.workflow else { throw NoWebhook() }
        for trigger in workflow.triggers {
            if case .webhook(let webhook) = trigger { return webhook }
        }
        throw NoWebhook()
    }

    /// Verifies a delivery with the fixture's secret unless told otherwise.
    static func verify(
        _ trigger: WebhookTrigger, headers: [(String, String)], body: String, now: Date = signedDate,
        secret: String = secret
    ) -> WebhookVerification {
        WebhookVerifier.verify(trigger: trigger, secret: secret, headers: WebhookHeaders(headers),
                               body: Array(body.utf8), now: now)
    }

    /// Expects a rejection with exactly `reason`, and that it gives away neither the secret nor a signature.
    static func expectRejected(
        _ result: WebhookVerification, _ reason: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        #expect(result == .rejected(reason), sourceLocation: sourceLocation)
        if case .rejected(let text) = result {
            #expect(!text.contains(secret), sourceLocation: sourceLocation)
            for signature in signatures {
                #expect(!text.lowercased().contains(signature.lowercased()), sourceLocation: sourceLocation)
            }
        }
    }

    /// The body with its last byte changed.
    static func tampered(_ body: String) -> String {
        var bytes = Array(body.utf8)
        bytes[bytes.count - 1] ^= 0x01
        return String(decoding: bytes, as: UTF8.self)
    }
}

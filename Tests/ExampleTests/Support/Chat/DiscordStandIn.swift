import Foundation
import JSONata
import Synchronization

/// A Discord webhook (`POST /api/webhooks/ID/TOKEN?wait=true`): the message's limits checked
/// (content 2000, embed title 256, description 4096), answered with the message object. The
/// first `throttled` requests get Discord's 429: `Retry-After` and `{message, retry_after, global}`.
final class DiscordStandIn: Sendable {
    static let path = "/api/webhooks/1234567890/discordhooktoken"
    let service = StandIn("Discord")
    private let throttled: Int
    private let count = Mutex(0)

    init(throttled: Int) {
        self.throttled = throttled
        service.answer { [unowned self] request in self.answer(request) }
    }

    /// The webhook's URL, a secret in the workflow.
    var webhookURL: String { service.url + Self.path }

    private func answer(_ request: StandIn.Request) -> StandIn.Reply {
        guard request.method == "POST", request.path == Self.path else {
            return .json(404, ["message": "Unknown Webhook", "code": 10015])
        }
        if count.withLock({ $0 += 1; return $0 }) <= throttled {
            return .json(429, ["message": "You are being rate limited.", "retry_after": 1.0, "global": false],
                         headers: [("Retry-After", "1"), ("X-RateLimit-Limit", "5"), ("X-RateLimit-Remaining", "0"),
                                   ("X-RateLimit-Reset-After", "1.000"), ("X-RateLimit-Scope", "shared")])
        }
        guard let body = request.json, Self.fits(body) else {
            return .json(400, ["message": "Invalid Form Body", "code": 50035])
        }
        var message = body
        if case .object(var object) = message {
            object["id"] = "1310000000000000001"
            object["channel_id"] = "1300000000000000001"
            object["webhook_id"] = "1234567890"
            object["timestamp"] = "2026-01-05T09:00:02.000000+00:00"
            message = .object(object)
        }
        // Without ?wait=true Discord answers 204 and no message.
        return request.query["wait"] == "true" ? .json(200, message) : StandIn.Reply(status: 204)
    }

    private static func fits(_ body: JSONValue) -> Bool {
        let content = body["content"]?.stringValue ?? ""
        guard content.count <= 2000 else { return false }
        guard case .array(let embeds)? = body["embeds"] ?? .array([]), embeds.count <= 10 else { return false }
        for embed in embeds {
            if (embed["title"]?.stringValue ?? "").count > 256 || (embed["description"]?.stringValue ?? "").count > 4096 {
                return false
            }
        }
        return !content.isEmpty || !embeds.isEmpty
    }
}

import Foundation
import JSONata
import Synchronization

/// A Slack incoming webhook (`POST /services/T…/B…/SECRET`): JSON with `text` and `blocks`,
/// answered `200 ok` in plain text; errors are plain-text codes (`invalid_payload`,
/// `no_service`), and a 429 carries `Retry-After`. Requests wait at `gate` before an answer.
final class SlackStandIn: Sendable {
    static let path = "/services/T0001/B0001/slackhooksecret123"
    let service = StandIn("Slack")
    let gate = Gate()

    init() {
        service.answer { [unowned self] request in
            await self.gate.pass()
            return Self.answer(request)
        }
    }

    /// The webhook's URL, a secret in the workflow.
    var webhookURL: String { service.url + Self.path }

    private static func answer(_ request: StandIn.Request) -> StandIn.Reply {
        guard request.method == "POST", request.path == path else { return .text(404, "no_service") }
        guard request.headers["content-type"]?.hasPrefix("application/json") == true, let body = request.json,
              body["text"]?.stringValue != nil || body["blocks"] != nil else {
            return .text(400, "invalid_payload")
        }
        return .text(200, "ok")
    }
}

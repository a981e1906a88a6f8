import Foundation
import JSONata
import Synchronization

/// Mastodon's `POST /api/v1/statuses`: a bearer token, a 500-character limit in which a link
/// counts as 23, `Idempotency-Key` honoured (a repeated key returns the first status), and a
/// 429 shaped like Mastodon's rate limiter (X-RateLimit-* headers, `{"error": ...}`) for the
/// first `throttled` requests.
final class MastodonStandIn: Sendable {
    static let token = "mastodon-token"
    let service = StandIn("Mastodon")
    private let throttled: Int
    private let state = Mutex<(requests: Int, byKey: [String: JSONValue])>((0, [:]))

    init(throttled: Int) {
        self.throttled = throttled
        service.answer { [unowned self] request in self.answer(request) }
    }

    /// The statuses posted (not the refused requests), in order.
    var posted: [StandIn.Request] {
        service.requests(to: "/api/v1/statuses", method: "POST").filter { request in
            state.withLock { $0.byKey.keys.contains(request.headers["idempotency-key"] ?? "") }
        }
    }

    /// Mastodon's length: characters, with each link counted as 23.
    static func length(_ text: String) -> Int {
        text.count - text.matches(of: #/https?://\S+/#).reduce(0) { $0 + $1.output.count - 23 }
    }

    private func answer(_ request: StandIn.Request) -> StandIn.Reply {
        guard request.method == "POST", request.path == "/api/v1/statuses" else {
            return .json(404, ["error": "Record not found"])
        }
        guard request.bearer == Self.token else { return .json(401, ["error": "The access token is invalid"]) }
        let count = state.withLock { state -> Int in state.requests += 1; return state.requests }
        if count <= throttled {
            return .json(429, ["error": "Too many requests"], headers: [
                ("X-RateLimit-Limit", "300"), ("X-RateLimit-Remaining", "0"),
                ("X-RateLimit-Reset", "2026-01-05T09:05:00.000000Z"),
            ])
        }
        guard let text = request.json?["status"]?.stringValue, !text.isEmpty else {
            return .json(422, ["error": "Validation failed: Text can't be blank"])
        }
        guard Self.length(text) <= 500 else {
            return .json(422, ["error": "Validation failed: Text character limit of 500 exceeded"])
        }
        let key = request.headers["idempotency-key"] ?? UUID().uuidString
        let status = state.withLock { state -> JSONValue in
            if let earlier = state.byKey[key] { return earlier }
            let id = String(113_400_000_000_000_000 + state.byKey.count + 1)
            let status: JSONValue = [
                "id": .string(id), "created_at": "2026-01-05T09:00:01.000Z", "visibility": request.json?["visibility"] ?? "public",
                "uri": .string("https://mastodon.example/users/ada/statuses/\(id)"),
                "url": .string("https://mastodon.example/@ada/\(id)"),
                "content": .string("<p>\(text)</p>"), "account": ["id": "1", "username": "ada", "acct": "ada"],
            ]
            state.byKey[key] = status
            return status
        }
        return .json(200, status)
    }
}

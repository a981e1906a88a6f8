import Foundation
import JSONata
import Synchronization

/// X's `POST /2/tweets` (OAuth2 user token as bearer): 280 characters weighted as X counts
/// them (a link is 23, most characters beyond Latin are 2), answers and errors in X's
/// problem+json shape. While `unavailable`, every request gets X's 503.
final class XStandIn: Sendable {
    static let token = "x-user-token"
    let service = StandIn("X")
    private let unavailable: Bool

    init(unavailable: Bool) {
        self.unavailable = unavailable
        service.answer { [unowned self] request in self.answer(request) }
    }

    /// X's weighted length of a text.
    static func length(_ text: String) -> Int {
        var weight = 0
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let light = value <= 4351 || (8192...8205).contains(value) || (8208...8223).contains(value) || (8242...8247).contains(value)
            weight += light ? 1 : 2
        }
        return weight - text.matches(of: #/https?://\S+/#).reduce(0) { $0 + $1.output.count - 23 }
    }

    private func answer(_ request: StandIn.Request) -> StandIn.Reply {
        guard request.method == "POST", request.path == "/2/tweets" else {
            return Self.problem(404, "Not Found Error", "The requested resource was not found")
        }
        guard request.bearer == Self.token else { return Self.problem(401, "Unauthorized", "Unauthorized") }
        if unavailable { return Self.problem(503, "Service Unavailable", "Service Unavailable") }
        guard let text = request.json?["text"]?.stringValue else {
            return Self.problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
        }
        guard Self.length(text) <= 280 else {
            return Self.problem(403, "Forbidden", "You are not permitted to perform this action.")
        }
        return .json(201, ["data": ["id": "1870000000000000001", "text": .string(text),
                                    "edit_history_tweet_ids": ["1870000000000000001"]]])
    }

    private static func problem(_ status: Int, _ title: String, _ detail: String) -> StandIn.Reply {
        .json(status, ["title": .string(title), "detail": .string(detail), "type": "about:blank", "status": .number(Double(status))],
              contentType: "application/problem+json")
    }
}

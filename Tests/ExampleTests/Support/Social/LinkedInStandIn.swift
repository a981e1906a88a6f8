import Foundation
import JSONata

/// LinkedIn's versioned `POST /rest/posts`: a bearer token, a `LinkedIn-Version: YYYYMM`
/// header and `X-Restli-Protocol-Version: 2.0.0`; it answers 201 with an empty body and the
/// new post's URN in `x-restli-id`. Errors are `{status, code, message}`.
final class LinkedInStandIn: Sendable {
    static let token = "linkedin-token"
    static let author = "urn:li:person:ada42"
    static let postURN = "urn:li:share:7270000000000000001"
    let service = StandIn("LinkedIn")

    init() {
        service.answer { request in Self.answer(request) }
    }

    private static func answer(_ request: StandIn.Request) -> StandIn.Reply {
        guard request.method == "POST", request.path == "/rest/posts" else { return error(404, "NOT_FOUND", "Not Found") }
        guard request.bearer == token else { return error(401, "INVALID_ACCESS_TOKEN", "Invalid access token") }
        guard let version = request.headers["linkedin-version"], version.wholeMatch(of: #/20\d{4}/#) != nil else {
            return error(400, "VERSION_MISSING", "A version must be present. Please specify a version by adding the LinkedIn-Version header.")
        }
        guard request.headers["x-restli-protocol-version"] == "2.0.0" else {
            return error(400, "ILLEGAL_ARGUMENT", "X-Restli-Protocol-Version 2.0.0 is required")
        }
        guard let body = request.json, body["author"] == .string(author), body["visibility"] == "PUBLIC",
              body["lifecycleState"] == "PUBLISHED", body["distribution"]?["feedDistribution"] == "MAIN_FEED",
              let commentary = body["commentary"]?.stringValue, commentary.count <= 3000 else {
            return error(422, "UNPROCESSABLE_ENTITY", "ERROR :: /commentary :: is invalid or missing")
        }
        return StandIn.Reply(status: 201, headers: [("x-restli-id", postURN), ("x-linkedin-id", postURN)])
    }

    private static func error(_ status: Int, _ code: String, _ message: String) -> StandIn.Reply {
        .json(status, ["status": .number(Double(status)), "code": .string(code), "message": .string(message)])
    }
}

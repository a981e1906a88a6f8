import Foundation
import JSONata
import OrderedCollections
import Synchronization

/// Linear's GraphQL API (`POST /graphql`): a personal API key in `Authorization` as it is,
/// the `issueCreate` mutation answered `{data: {issueCreate: {success, issue}}}`, and errors as
/// GraphQL errors with `extensions.code`, as Linear sends them. During an outage it answers 503.
final class LinearStandIn: Sendable {
    static let apiKey = "lin_api_examplekey0000"
    static let team = "9cfb482a-81e3-4154-b5b9-2c805e70a02d"
    let service = StandIn("Linear")
    private let down = Mutex(false)

    init() {
        service.answer { [unowned self] request in
            if self.down.withLock({ $0 }) {
                return .json(503, ["errors": [["message": "Service Unavailable", "extensions": ["code": "SERVICE_UNAVAILABLE"]]]])
            }
            return Self.answer(request)
        }
    }

    /// Starts or ends an outage.
    func outage(_ isDown: Bool) { down.withLock { $0 = isDown } }

    private static func answer(_ request: StandIn.Request) -> StandIn.Reply {
        guard request.method == "POST", request.path == "/graphql" else { return .text(404, "Cannot \(request.method) \(request.path)") }
        guard request.headers["authorization"] == apiKey else {
            return error(400, "Authentication required, not authenticated", code: "AUTHENTICATION_ERROR")
        }
        guard let body = request.json, let query = body["query"]?.stringValue, query.contains("issueCreate(input: $input)"),
              let input = body["variables"]?["input"] else {
            return error(400, "Variable \"$input\" of required type \"IssueCreateInput!\" was not provided.", code: "GRAPHQL_VALIDATION_FAILED")
        }
        guard input["teamId"] == .string(team) else {
            return error(200, "Argument Validation Error", code: "INVALID_INPUT", path: ["issueCreate"])
        }
        guard let title = input["title"]?.stringValue, !title.isEmpty else {
            return error(200, "Argument Validation Error", code: "INVALID_INPUT", path: ["issueCreate"])
        }
        let slug = title.lowercased().split { !$0.isLetter && !$0.isNumber }.prefix(6).joined(separator: "-")
        return .json(200, ["data": ["issueCreate": ["success": true, "issue": [
            "id": "a1b2c3d4-0000-4000-8000-000000000142", "identifier": "ENG-142",
            "url": .string("https://linear.app/acme/issue/ENG-142/\(slug)"), "title": .string(title),
        ]]]])
    }

    private static func error(_ status: Int, _ message: String, code: String, path: [JSONValue]? = nil) -> StandIn.Reply {
        var error: OrderedDictionary<String, JSONValue> = [
            "message": .string(message), "extensions": ["code": .string(code), "userPresentableMessage": .string(message)],
        ]
        if let path { error["path"] = .array(path) }
        return .json(status, ["errors": [.object(error)], "data": .null])
    }
}

import BatonCore
import Foundation
import JSONata
import Synchronization

/// A Bluesky PDS: `com.atproto.server.createSession` (handle and app password give a short
/// `accessJwt` and a `refreshJwt`), `com.atproto.repo.createRecord` (an `app.bsky.feed.post`
/// of at most 300 graphemes with its `createdAt`, facets within the text's UTF-8 bytes), and
/// `com.atproto.server.deleteSession` with the refresh token. Errors are `{error, message}`.
final class BlueskyStandIn: Sendable {
    static let handle = "ada.bsky.social"
    static let password = "app-pass-word-1234"
    static let did = "did:plc:ada4example0000"
    let service = StandIn("Bluesky")
    private let sessions = Mutex<(access: Set<String>, refresh: Set<String>, ended: Int)>(([], [], 0))

    init() {
        service.answer { [unowned self] request in self.answer(request) }
    }

    /// The records created.
    var records: [JSONValue] {
        service.requests(to: "/xrpc/com.atproto.repo.createRecord").compactMap { $0.json?["record"] }
    }

    /// How many sessions were ended with their refresh token.
    var endedSessions: Int { sessions.withLock { $0.ended } }

    private func answer(_ request: StandIn.Request) -> StandIn.Reply {
        guard request.method == "POST" else { return Self.error(405, "InvalidRequest", "Method Not Allowed") }
        switch request.path {
        case "/xrpc/com.atproto.server.createSession":
            guard request.json?["identifier"] == .string(Self.handle), request.json?["password"] == .string(Self.password) else {
                return Self.error(401, "AuthenticationRequired", "Invalid identifier or password")
            }
            let (access, refresh) = ("acc-" + UUID().uuidString, "ref-" + UUID().uuidString)
            sessions.withLock { $0.access.insert(access); $0.refresh.insert(refresh) }
            return .json(200, ["did": .string(Self.did), "handle": .string(Self.handle), "accessJwt": .string(access),
                               "refreshJwt": .string(refresh), "active": true])
        case "/xrpc/com.atproto.repo.createRecord":
            guard let token = request.bearer, sessions.withLock({ $0.access.contains(token) }) else {
                return Self.error(401, "InvalidToken", "Token could not be verified")
            }
            if let problem = Self.problem(request.json) { return Self.error(400, "InvalidRequest", problem) }
            let key = "3l" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(11).lowercased()
            return .json(200, ["uri": .string("at://\(Self.did)/app.bsky.feed.post/\(key)"),
                               "cid": "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a",
                               "validationStatus": "valid"])
        case "/xrpc/com.atproto.server.deleteSession":
            guard let token = request.bearer, sessions.withLock({ $0.refresh.remove(token) != nil }) else {
                return Self.error(400, "ExpiredToken", "Token has been revoked")
            }
            sessions.withLock { $0.ended += 1; $0.access.removeAll() }
            return StandIn.Reply(status: 200)
        default:
            return Self.error(404, "MethodNotImplemented", "Method Not Implemented")
        }
    }

    /// Why a createRecord body is invalid, as the PDS says it.
    private static func problem(_ body: JSONValue?) -> String? {
        guard let body, body["repo"] == .string(did), body["collection"] == "app.bsky.feed.post",
              let record = body["record"], record["$type"] == "app.bsky.feed.post" else {
            return "Input must have the properties \"repo\", \"collection\" and \"record\" of type app.bsky.feed.post"
        }
        guard let text = record["text"]?.stringValue else { return "Invalid app.bsky.feed.post record: Record must have the property \"text\"" }
        if text.count > 300 { return "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes" }
        guard let created = record["createdAt"]?.stringValue, ISO8601Time.parse(created) != nil else {
            return "Invalid app.bsky.feed.post record: Record/createdAt must be an valid atproto datetime"
        }
        let bytes = text.utf8.count
        guard case .array(let facets)? = record["facets"] ?? .array([]) else {
            return "Invalid app.bsky.feed.post record: Record/facets must be an array"
        }
        for facet in facets {
            guard let start = facet["index"]?["byteStart"]?.numberValue, let end = facet["index"]?["byteEnd"]?.numberValue,
                  start >= 0, end <= Double(bytes), start < end else {
                return "Invalid app.bsky.feed.post record: Record/facets/index must lie within the text"
            }
        }
        return nil
    }

    private static func error(_ status: Int, _ code: String, _ message: String) -> StandIn.Reply {
        .json(status, ["error": .string(code), "message": .string(message)])
    }
}

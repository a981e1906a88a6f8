import BatonCore
import BatonStore
import Foundation
import JSONata
import OrderedCollections

/// What `baton connections list`, `/api/connections` and the dashboard show of a connection:
/// its kind, whether it holds a valid token and until when. Never a token.
public struct ConnectionStatus: Sendable, Hashable {
    /// Where a connection stands.
    public enum State: String, Sendable, Hashable {
        /// It holds a token that has not expired.
        case valid
        /// Its token expired; the next step that uses it refreshes it.
        case expired
        /// A refresh failed for good: someone must run `baton connect NAME`.
        case needsAttention = "needs_attention"
        /// No token set is stored yet: run `baton connect NAME` (a session logs in by itself).
        case notConnected = "not_connected"
        /// Static credentials or client-credentials tokens, which nothing stores.
        case notStored = "not_stored"
    }

    /// The connection's name.
    public var name: String
    /// Its auth kind as users write it, or `none`.
    public var kind: String
    /// Where it stands.
    public var state: State
    /// When its token expires, when known.
    public var expiresAt: Date?
    /// When its last token set was stored.
    public var refreshedAt: Date?
    /// Why it needs attention.
    public var attention: String?
    /// The workflows that declare it.
    public var workflows: [String]

    /// The statuses of the connections `workflows` declare and of those `records` hold, by name.
    public static func list(workflows: [Workflow], records: [ConnectionRecord], now: Date) -> [ConnectionStatus] {
        var byName: [String: ConnectionStatus] = [:]
        for workflow in workflows {
            for connection in workflow.connections {
                if byName[connection.name] != nil {
                    byName[connection.name]!.workflows.append(workflow.name)
                    continue
                }
                byName[connection.name] = ConnectionStatus(
                    name: connection.name, kind: connection.auth?.kindName ?? "none",
                    state: connection.keepsTokens ? .notConnected : .notStored, workflows: [workflow.name])
            }
        }
        for record in records {
            var status = byName[record.name]
                ?? ConnectionStatus(name: record.name, kind: record.kind, state: .notConnected, workflows: [])
            guard status.state != .notStored || byName[record.name] == nil else { continue }
            status.expiresAt = record.expiresAt
            status.refreshedAt = record.refreshedAt
            status.attention = record.attention
            if record.attention != nil {
                status.state = .needsAttention
            } else if record.sealedTokens == nil {
                status.state = .notConnected
            } else if let expiresAt = record.expiresAt, expiresAt <= now {
                status.state = .expired
            } else {
                status.state = .valid
            }
            byName[record.name] = status
        }
        return byName.values.sorted { $0.name < $1.name }
    }

    /// Whether it holds a token that has not expired.
    public var hasValidToken: Bool { state == .valid }

    /// The status as JSON: `{name, kind, state, valid, expires_at, refreshed_at, attention, workflows}`.
    public var jsonValue: JSONValue {
        var object = OrderedDictionary<String, JSONValue>()
        object["name"] = .string(name)
        object["kind"] = .string(kind)
        object["state"] = .string(state.rawValue)
        object["valid"] = .bool(hasValidToken)
        object["expires_at"] = expiresAt.map { .string(ISO8601Time.format($0)) } ?? .null
        object["refreshed_at"] = refreshedAt.map { .string(ISO8601Time.format($0)) } ?? .null
        object["attention"] = attention.map(JSONValue.string) ?? .null
        object["workflows"] = .array(workflows.map(JSONValue.string))
        return .object(object)
    }
}

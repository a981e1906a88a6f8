import Foundation

/// Why a connection could not give a step a token, with what to do about it.
public struct ConnectionError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// A refresh or login failed for good (`invalid_grant`, refused credentials): a person
        /// must sign in again with `baton connect NAME`.
        case needsAttention = "connection_needs_attention"
        /// No token set is stored and none can be obtained without a person (`baton connect NAME`).
        case notConnected = "connection_not_connected"
        /// The process was started without a token store for connections.
        case unavailable = "connection_unavailable"
        /// Another process held the refresh lease past its expiry without storing a result.
        case refreshStuck = "connection_refresh_stuck"
        /// The connection's settings did not evaluate to usable values.
        case invalidSettings = "connection_invalid_settings"
    }

    /// What went wrong.
    public var code: Code
    /// The connection's name.
    public var connection: String
    /// The whole explanation: which connection, what happened, what to do.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, connection: String, message: String) {
        self.code = code
        self.connection = connection
        self.message = message
    }

    /// Whether another attempt later may succeed without a person doing anything.
    public var isTransient: Bool { code == .refreshStuck }

    /// The message.
    public var description: String { message }

    /// A connection whose refresh failed for good; `reason` says what the provider answered.
    static func needsAttention(_ connection: String, reason: String) -> ConnectionError {
        ConnectionError(.needsAttention, connection: connection,
                        message: "connection '\(connection)' needs to be signed in again: \(reason); run 'baton connect \(connection)'")
    }

    /// A connection without a token set.
    static func notConnected(_ connection: String, why: String) -> ConnectionError {
        ConnectionError(.notConnected, connection: connection,
                        message: "connection '\(connection)' is not signed in (\(why)); run 'baton connect \(connection)'")
    }
}

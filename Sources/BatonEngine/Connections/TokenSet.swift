import Foundation

/// An access token, the refresh token that came with it, and when it expires: what a
/// signed-in connection keeps, sealed, in the store.
public struct TokenSet: Sendable, Hashable, Codable {
    /// The token sent with requests.
    public var accessToken: String
    /// The token that obtains the next access token, when the provider gave one.
    public var refreshToken: String?
    /// When the access token expires, when known.
    public var expiresAt: Date?
    /// When it was obtained.
    public var obtainedAt: Date
    /// The scopes granted, as the provider reported them.
    public var scope: String?

    /// Creates a token set.
    public init(accessToken: String, refreshToken: String? = nil, expiresAt: Date? = nil, obtainedAt: Date, scope: String? = nil) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.obtainedAt = obtainedAt
        self.scope = scope
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token", refreshToken = "refresh_token", expiresAt = "expires_at"
        case obtainedAt = "obtained_at", scope
    }

    /// When to refresh: `maximumMargin` before expiry, or `fraction` of the lifetime before it
    /// when that is shorter (a 5-minute token is not refreshed after 4). Nil when the expiry is unknown.
    public func refreshAt(maximumMargin: Duration = .seconds(60), fraction: Double = 0.1) -> Date? {
        guard let expiresAt else { return nil }
        let lifetime = max(0, expiresAt.timeIntervalSince(obtainedAt))
        let margin = min(maximumMargin.timeInterval, lifetime * fraction)
        return expiresAt.addingTimeInterval(-margin)
    }

    /// Whether the access token has expired at `now`.
    public func isExpired(at now: Date) -> Bool {
        expiresAt.map { now >= $0 } ?? false
    }

    /// The token values, for the redactor.
    public var secretValues: [String] {
        [accessToken] + (refreshToken.map { [$0] } ?? [])
    }

    /// The token set as JSON text, for sealing.
    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A token set from its sealed JSON text.
    static func decoded(_ text: String) throws -> TokenSet {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(TokenSet.self, from: Data(text.utf8))
    }

    /// The name a token set is sealed under: a sealed set copied to another connection does not open.
    static func sealName(_ connection: String) -> String { "connection:\(connection)" }
}

/// A token set holds credentials: describing it shows when it expires, never a token.
extension TokenSet: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The expiry and whether there is a refresh token, without values.
    public var description: String {
        "TokenSet(expires_at: \(expiresAt.map { "\($0)" } ?? "unknown"), refresh_token: \(refreshToken == nil ? "none" : "present"), values hidden)"
    }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the tokens.
    public var customMirror: Mirror {
        Mirror(self, children: ["expiresAt": expiresAt as Any, "obtainedAt": obtainedAt], displayStyle: .struct)
    }
}

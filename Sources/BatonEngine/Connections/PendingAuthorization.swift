import Foundation

/// An authorization-code sign-in in progress: what `baton connect NAME --code CODE` needs to
/// finish it in another invocation (the PKCE verifier is a secret: it is kept sealed).
public struct PendingAuthorization: Sendable, Hashable, Codable {
    /// The `state` sent in the authorization URL; the redirect must bring it back.
    public var state: String
    /// The PKCE verifier whose challenge was sent.
    public var verifier: String
    /// The redirect URI sent, which the code exchange must repeat.
    public var redirectURI: String
    /// When the authorization URL was made.
    public var createdAt: Date

    /// Creates a pending authorization.
    public init(state: String, verifier: String, redirectURI: String, createdAt: Date) {
        self.state = state
        self.verifier = verifier
        self.redirectURI = redirectURI
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case state, verifier, redirectURI = "redirect_uri", createdAt = "created_at"
    }

    /// The name it is sealed under.
    static func sealName(_ connection: String) -> String { "connection-pending:\(connection)" }
}

/// A session login: a request whose response gives a token and its lifetime, and optionally
/// a refresh request that uses a refresh token from the same response (Bluesky's
/// `createSession` / `refreshSession`, and the many APIs with a login endpoint).
public struct SessionAuth: Sendable {
    /// The login request; its expressions see `env` and `secrets`.
    public var login: HTTPRequestSpec
    /// The refresh request; its expressions also see `session.refresh_token`.
    public var refresh: HTTPRequestSpec?
    /// The access token, an expression over `response` (`status`, `headers`, `body`).
    public var token: Template
    /// The refresh token, an expression over `response`.
    public var refreshToken: Template?
    /// The token's lifetime in seconds, an expression over `response`.
    public var expiresIn: Template?
    /// The token's expiry (ISO 8601 text, or Unix seconds), an expression over `response`.
    public var expiresAt: Template?
    /// The header the token goes in (`Authorization` by default).
    public var header: String
    /// The word before the token in that header (`Bearer` for `Authorization`, none otherwise).
    public var scheme: String?
    /// Where it is declared.
    public var location: SourceLocation
}

/// The settings of an OAuth2 grant that acts for a user: `authorization_code` (signed in
/// with `baton connect`) or `refresh_token` (started from a refresh token obtained elsewhere).
/// Either way the token set lives encrypted in the store, never in the workflow file.
public struct OAuth2UserGrant: Sendable {
    /// The grant that first obtains the token set.
    public enum Grant: String, Sendable, Hashable, CaseIterable {
        /// The authorization-code flow with PKCE, run by `baton connect NAME`.
        case authorizationCode = "authorization_code"
        /// A refresh token given once (`refresh_token:`) or stored by `baton connect`.
        case refreshToken = "refresh_token"
    }

    /// How the client proves who it is to the token endpoint.
    public enum ClientAuthentication: String, Sendable, Hashable, CaseIterable {
        /// HTTP Basic with the client id and secret (RFC 6749 §2.3.1).
        case basic
        /// `client_id` (and `client_secret`) in the form body; public clients use this.
        case body
    }

    /// The grant.
    public var grant: Grant
    /// The token endpoint.
    public var tokenURL: Template
    /// The authorization endpoint the user's browser opens (needed by `baton connect`).
    public var authorizeURL: Template?
    /// The client id.
    public var clientID: Template
    /// The client secret (normally `${{ secrets.X }}`); nil for a public client.
    public var clientSecret: Template?
    /// Scopes to ask for.
    public var scopes: [String]
    /// The redirect URI registered with the provider; nil means a loopback URI on any free port.
    public var redirectURI: Template?
    /// A refresh token to start from when the store holds no token set (grant `refresh_token`).
    public var refreshToken: Template?
    /// How the client authenticates; nil means Basic with a secret, body without one.
    public var clientAuthentication: ClientAuthentication?
}

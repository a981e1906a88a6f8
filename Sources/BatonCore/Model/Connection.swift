/// A named third-party API that steps call through: base URL, auth, default headers and a
/// rate limit shared by every step and workflow that uses it.
public struct Connection: Sendable {
    /// The name steps refer to with `connection: NAME`.
    public var name: String
    /// Prefix for the relative URLs of steps that use the connection.
    public var baseURL: Template?
    /// Credentials added to every request.
    public var auth: Auth?
    /// Headers added to every request (a step's own headers win).
    public var headers: [Template.ObjectMember]
    /// The request budget shared by all users of the connection.
    public var rateLimit: RateLimit?
    /// The default timeout of a request.
    public var timeout: Duration?
    /// Where it is declared.
    public var location: SourceLocation

    /// Whether the connection keeps a signed-in token set in the store (an OAuth2 user grant
    /// or a session), as opposed to static credentials or client-credentials tokens.
    public var keepsTokens: Bool {
        switch auth {
        case .oauth2User?, .session?: return true
        default: return false
        }
    }
}

/// How a request authenticates.
public enum Auth: Sendable {
    /// `Authorization: Bearer <token>`.
    case bearer(token: Template)
    /// HTTP basic authentication.
    case basic(username: Template, password: Template)
    /// An API key sent in a header or a query parameter.
    case apiKey(placement: APIKeyPlacement, name: String, value: Template)
    /// OAuth2 client credentials: a token fetched from `tokenURL` and cached until shortly before it expires.
    case oauth2ClientCredentials(OAuth2ClientCredentials)
    /// OAuth2 on behalf of a user (grant `authorization_code` or `refresh_token`): a token set
    /// kept encrypted in the store, refreshed before it expires. Only on connections.
    case oauth2User(OAuth2UserGrant)
    /// A login request whose response gives a token, with an optional refresh request. Only on connections.
    indirect case session(SessionAuth)

    /// Where an API key goes.
    public enum APIKeyPlacement: String, Sendable, Hashable {
        /// In a request header.
        case header
        /// In the query string.
        case query
    }

    /// The kind as users write it: `bearer`, `basic`, `api_key`, `oauth2 client_credentials`,
    /// `oauth2 authorization_code`, `oauth2 refresh_token` or `session`.
    public var kindName: String {
        switch self {
        case .bearer: return "bearer"
        case .basic: return "basic"
        case .apiKey: return "api_key"
        case .oauth2ClientCredentials: return "oauth2 client_credentials"
        case .oauth2User(let grant): return "oauth2 \(grant.grant.rawValue)"
        case .session: return "session"
        }
    }
}

/// The settings of an OAuth2 client-credentials grant.
public struct OAuth2ClientCredentials: Sendable {
    /// The token endpoint.
    public var tokenURL: Template
    /// The client id.
    public var clientID: Template
    /// The client secret (normally `${{ secrets.X }}`).
    public var clientSecret: Template
    /// Scopes to ask for.
    public var scopes: [String]
    /// An audience parameter, for the providers that need one.
    public var audience: Template?
}

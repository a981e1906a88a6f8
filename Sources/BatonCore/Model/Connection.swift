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

    /// Where an API key goes.
    public enum APIKeyPlacement: String, Sendable, Hashable {
        /// In a request header.
        case header
        /// In the query string.
        case query
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

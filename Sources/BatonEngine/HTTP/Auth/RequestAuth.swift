import Foundation

/// How a request authenticates, with its values already evaluated.
public enum RequestAuth: Sendable {
    /// `Authorization: Bearer <token>`.
    case bearer(token: String)
    /// `Authorization: Basic base64(username:password)`.
    case basic(username: String, password: String)
    /// An API key in a header or a query parameter.
    case apiKey(placement: APIKeyPlacement, name: String, value: String)
    /// A bearer token from an OAuth2 client-credentials grant, cached by ``OAuth2TokenProviding``.
    case oauth2(OAuth2Credentials)
    /// The token of a signed-in connection (OAuth2 user grant or session), kept fresh by its provider.
    case connection(ConnectionCredential)

    /// Where an API key goes.
    public enum APIKeyPlacement: String, Sendable, Hashable {
        /// In a request header.
        case header
        /// In the query string.
        case query
    }

    /// The secret values this auth puts on the wire, for ``Redactor``.
    public var secretValues: [String] {
        switch self {
        case .bearer(let token): return [token]
        case .basic(let username, let password): return [password, Self.basicValue(username, password)]
        case .apiKey(_, _, let value): return [value]
        case .oauth2(let credentials): return [credentials.clientSecret]
        case .connection(let credential): return credential.signIn.secretValues
        }
    }

    /// The header names this auth fills, to mask in summaries.
    public var headerNames: Set<String> {
        switch self {
        case .bearer, .basic, .oauth2: return ["authorization"]
        case .apiKey(.header, let name, _): return [name.lowercased()]
        case .apiKey(.query, _, _): return []
        case .connection(let credential): return [credential.signIn.header.lowercased()]
        }
    }

    /// The query parameter names this auth fills, to mask in summaries.
    public var queryNames: Set<String> {
        if case .apiKey(.query, let name, _) = self { return [name.lowercased()] }
        return []
    }

    static func basicValue(_ username: String, _ password: String) -> String {
        Data("\(username):\(password)".utf8).base64EncodedString()
    }
}

import Foundation
import JSONata

/// The settings of an OAuth2 client-credentials grant (RFC 6749 §4.4), evaluated.
public struct OAuth2Credentials: Sendable, Hashable {
    /// How the client proves who it is to the token endpoint.
    public enum ClientAuthentication: String, Sendable, Hashable {
        /// HTTP Basic with the client id and secret (RFC 6749 §2.3.1, the default).
        case basic
        /// `client_id` and `client_secret` in the form body.
        case body
    }

    /// The token endpoint.
    public var tokenURL: String
    /// The client id.
    public var clientID: String
    /// The client secret.
    public var clientSecret: String
    /// Scopes to ask for (sent space-separated).
    public var scopes: [String]
    /// An `audience` parameter, for the providers that need one.
    public var audience: String?
    /// How the client authenticates.
    public var clientAuthentication: ClientAuthentication

    /// Creates credentials.
    public init(tokenURL: String, clientID: String, clientSecret: String, scopes: [String] = [], audience: String? = nil,
                clientAuthentication: ClientAuthentication = .basic) {
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scopes = scopes
        self.audience = audience
        self.clientAuthentication = clientAuthentication
    }

    /// The token request (a form POST).
    func tokenRequest(timeout: Duration) -> PreparedRequest {
        var fields = [("grant_type", "client_credentials")]
        if !scopes.isEmpty { fields.append(("scope", scopes.joined(separator: " "))) }
        if let audience { fields.append(("audience", audience)) }
        var headers = [("Accept", "application/json")]
        switch clientAuthentication {
        case .basic:
            // RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined.
            let user = URLQuery.escape(clientID), password = URLQuery.escape(clientSecret)
            headers.append(("Authorization", "Basic \(RequestAuth.basicValue(user, password))"))
        case .body:
            fields.append(("client_id", clientID))
            fields.append(("client_secret", clientSecret))
        }
        return PreparedRequest(method: "POST", url: tokenURL, headers: headers, body: .form(fields), timeout: timeout)
    }
}

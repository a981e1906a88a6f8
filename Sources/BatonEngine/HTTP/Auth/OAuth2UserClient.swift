import BatonCore
import Foundation
import JSONata

/// The evaluated settings of an OAuth2 grant that acts for a user, and the requests it makes:
/// the authorization URL (RFC 6749 §4.1.1 with PKCE, RFC 7636), the code exchange (§4.1.3)
/// and the refresh (§6).
public struct OAuth2UserClient: Sendable, Hashable {
    /// The grant that first obtained the token set.
    public var grant: OAuth2UserGrant.Grant
    /// The token endpoint.
    public var tokenURL: String
    /// The authorization endpoint, when configured.
    public var authorizeURL: String?
    /// The client id.
    public var clientID: String
    /// The client secret; nil for a public client.
    public var clientSecret: String?
    /// Scopes to ask for.
    public var scopes: [String]
    /// The configured redirect URI; nil means a loopback one chosen by `baton connect`.
    public var redirectURI: String?
    /// The refresh token to start from when the store holds none.
    public var seedRefreshToken: String?
    /// How the client authenticates to the token endpoint.
    public var clientAuthentication: OAuth2UserGrant.ClientAuthentication

    /// Creates the settings.
    public init(grant: OAuth2UserGrant.Grant, tokenURL: String, authorizeURL: String? = nil, clientID: String,
                clientSecret: String? = nil, scopes: [String] = [], redirectURI: String? = nil, seedRefreshToken: String? = nil,
                clientAuthentication: OAuth2UserGrant.ClientAuthentication? = nil) {
        self.grant = grant
        self.tokenURL = tokenURL
        self.authorizeURL = authorizeURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scopes = scopes
        self.redirectURI = redirectURI
        self.seedRefreshToken = seedRefreshToken
        self.clientAuthentication = clientAuthentication ?? (clientSecret == nil ? .body : .basic)
    }

    /// The URL the user opens to grant access; the provider redirects to `redirectURI` with
    /// `code` and `state`.
    public func authorizationURL(redirectURI: String, state: String, pkce: PKCE) -> String? {
        guard let authorizeURL else { return nil }
        var parameters = [("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI)]
        if !scopes.isEmpty { parameters.append(("scope", scopes.joined(separator: " "))) }
        parameters += [("state", state), ("code_challenge", pkce.challenge), ("code_challenge_method", "S256")]
        let query = parameters.map { "\(URLQuery.escape($0.0))=\(URLQuery.escape($0.1))" }.joined(separator: "&")
        return authorizeURL + (authorizeURL.contains("?") ? "&" : "?") + query
    }

    /// The code exchange; `verifier` is the PKCE verifier of the authorization that gave the code.
    func codeRequest(code: String, verifier: String?, redirectURI: String?, timeout: Duration) -> PreparedRequest {
        var fields = [("grant_type", "authorization_code"), ("code", code)]
        if let redirectURI { fields.append(("redirect_uri", redirectURI)) }
        if let verifier { fields.append(("code_verifier", verifier)) }
        return tokenRequest(fields, timeout: timeout)
    }

    /// The refresh of an access token.
    func refreshRequest(refreshToken: String, timeout: Duration) -> PreparedRequest {
        var fields = [("grant_type", "refresh_token"), ("refresh_token", refreshToken)]
        if !scopes.isEmpty { fields.append(("scope", scopes.joined(separator: " "))) }
        return tokenRequest(fields, timeout: timeout)
    }

    private func tokenRequest(_ form: [(String, String)], timeout: Duration) -> PreparedRequest {
        var fields = form
        var headers = [("Accept", "application/json")]
        switch (clientAuthentication, clientSecret) {
        case (.basic, let secret?):
            // RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined.
            headers.append(("Authorization", "Basic \(RequestAuth.basicValue(URLQuery.escape(clientID), URLQuery.escape(secret)))"))
        case (.body, let secret?):
            fields += [("client_id", clientID), ("client_secret", secret)]
        case (_, nil):
            // A public client (PKCE without a secret) names itself in the body.
            fields.append(("client_id", clientID))
        }
        return PreparedRequest(method: "POST", url: tokenURL, headers: headers, body: .form(fields), timeout: timeout)
    }

    /// The secret values of these settings, for the redactor.
    var secretValues: [String] {
        [clientSecret, seedRefreshToken].compactMap { $0 }
    }
}

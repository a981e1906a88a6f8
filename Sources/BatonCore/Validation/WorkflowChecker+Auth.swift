import JSONata

/// The connection an `auth:` block belongs to, when it belongs to one: sign-in kinds (OAuth2
/// user grants and sessions) keep a token set under the connection's name, so only a
/// connection may use them.
struct SignInContext {
    /// The connection's name.
    var name: String
    /// Whether the connection has a `base_url`, against which login URLs may be relative.
    var hasBaseURL: Bool
}

extension WorkflowChecker {
    static let authKinds = ["bearer", "basic", "api_key", "oauth2", "session"]
    static let oauth2Keys = ["grant", "token_url", "authorize_url", "client_id", "client_secret", "scopes", "audience",
                             "redirect_uri", "refresh_token", "client_auth"]

    /// Reads an `auth:` block of a connection (`connection` set) or of a request.
    func readAuth(_ node: SourceNode, of what: String, scope: ExpressionScope, connection: SignInContext? = nil) -> Auth? {
        guard let auth = fields(node, of: "auth of \(what)", allowed: Self.authKinds) else { return nil }
        guard auth.entries.count == 1, let entry = auth.entries.first else {
            if auth.entries.isEmpty {
                error("auth of \(what) is empty; use one of: \(Self.authKinds.joined(separator: ", "))", at: node.location)
            } else {
                error("auth of \(what) has \(auth.entries.map { "'\($0.key)'" }.joined(separator: " and ")); use only one",
                      at: node.location)
            }
            return nil
        }
        let value = entry.value
        switch entry.key {
        case "bearer":
            guard value.scalar != nil else {
                error("bearer auth takes the token, e.g. 'bearer: ${{ secrets.API_TOKEN }}'", at: value.location)
                return nil
            }
            return template(value, scope: scope).map { .bearer(token: $0) }
        case "basic":
            guard let basic = fields(value, of: "basic auth", allowed: ["username", "password"]),
                  let user = required(basic, "username", of: "basic auth"),
                  let password = required(basic, "password", of: "basic auth", example: "${{ secrets.PASSWORD }}"),
                  let userTemplate = template(user, scope: scope),
                  let passwordTemplate = template(password, scope: scope) else { return nil }
            return .basic(username: userTemplate, password: passwordTemplate)
        case "api_key":
            return readAPIKey(value, scope: scope)
        case "oauth2":
            return readOAuth2(value, of: what, scope: scope, connection: connection)
        case "session":
            guard let connection else {
                signInOutsideConnection("session auth", at: entry.keyLocation)
                return nil
            }
            return readSession(value, connection: connection).map { .session($0) }
        default:
            return nil
        }
    }

    private func readAPIKey(_ value: SourceNode, scope: ExpressionScope) -> Auth? {
        guard let apiKey = fields(value, of: "api_key auth", allowed: ["header", "query", "value"]),
              let keyValue = required(apiKey, "value", of: "api_key auth", example: "${{ secrets.API_KEY }}") else {
            return nil
        }
        let placement: (Auth.APIKeyPlacement, SourceNode)
        switch (apiKey["header"], apiKey["query"]) {
        case (let header?, nil): placement = (.header, header)
        case (nil, let query?): placement = (.query, query)
        case (.some, .some):
            error("api_key auth has both 'header' and 'query'; the key goes in one place", at: value.location)
            return nil
        case (nil, nil):
            error("api_key auth needs 'header: NAME' or 'query: NAME' to say where the key goes", at: value.location)
            return nil
        }
        guard let name = nonEmptyString(placement.1, "api_key \(placement.0.rawValue)"),
              let valueTemplate = template(keyValue, scope: scope) else { return nil }
        return .apiKey(placement: placement.0, name: name, value: valueTemplate)
    }

    private func readOAuth2(_ value: SourceNode, of what: String, scope: ExpressionScope, connection: SignInContext?) -> Auth? {
        guard let oauth = fields(value, of: "oauth2 auth", allowed: Self.oauth2Keys) else { return nil }
        var grant: OAuth2UserGrant.Grant? = nil
        if let grantNode = oauth["grant"], let text = string(grantNode, "grant"), text != "client_credentials" {
            guard let userGrant = OAuth2UserGrant.Grant(rawValue: text) else {
                let grants = ["client_credentials", "authorization_code", "refresh_token"]
                let hint = Suggestions.closest(to: text, in: grants).map { "did you mean '\($0)'?" }
                    ?? "use one of: \(grants.joined(separator: ", "))"
                error("oauth2 grant '\(text)' is not supported; \(hint)", at: grantNode.location)
                return nil
            }
            guard connection != nil else {
                signInOutsideConnection("oauth2 grant '\(text)'", at: grantNode.location)
                return nil
            }
            grant = userGrant
        }
        if let grant, let connection {
            return readOAuth2User(oauth, grant: grant, connection: connection).map { .oauth2User($0) }
        }
        for key in ["authorize_url", "redirect_uri", "refresh_token", "client_auth"] where oauth.has(key) {
            error("'\(key)' applies to the grants that act for a user; add 'grant: authorization_code' (or refresh_token), or remove it",
                  at: oauth.keyLocation(key)!)
        }
        guard let tokenURL = required(oauth, "token_url", of: "oauth2 auth"),
              let clientID = required(oauth, "client_id", of: "oauth2 auth"),
              let clientSecret = required(oauth, "client_secret", of: "oauth2 auth", example: "${{ secrets.CLIENT_SECRET }}"),
              let tokenTemplate = template(tokenURL, scope: scope),
              let idTemplate = template(clientID, scope: scope),
              let secretTemplate = template(clientSecret, scope: scope) else { return nil }
        let audience = oauth["audience"].flatMap { template($0, scope: scope) }
        return .oauth2ClientCredentials(OAuth2ClientCredentials(tokenURL: tokenTemplate, clientID: idTemplate,
                                                                clientSecret: secretTemplate, scopes: readScopes(oauth),
                                                                audience: audience))
    }

    /// `scopes: a b c` or `scopes: [a, b, c]`.
    func readScopes(_ fields: Fields) -> [String] {
        guard let scopesNode = fields["scopes"] else { return [] }
        if let text = scopesNode.string { return text.split(separator: " ").map(String.init) }
        return list(scopesNode).compactMap { string($0, "scope") }
    }

    func signInOutsideConnection(_ what: String, at location: SourceLocation) {
        error("\(what) keeps a signed-in token set under a connection's name, so it belongs on a connection; "
              + "declare it under 'connections:' and use 'connection: NAME' in the step", at: location)
    }
}

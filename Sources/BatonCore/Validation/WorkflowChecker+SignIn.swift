import JSONata

/// The sign-in kinds of a connection's auth: OAuth2 grants that act for a user, and sessions.
extension WorkflowChecker {
    static let sessionKeys = ["login", "refresh", "token", "refresh_token", "expires_in", "expires_at", "header", "scheme"]
    static let signInRequestKeys = ["method", "url", "headers", "query", "json", "form", "body", "timeout"]

    func readOAuth2User(_ oauth: Fields, grant: OAuth2UserGrant.Grant, connection: SignInContext) -> OAuth2UserGrant? {
        let scope = ExpressionScope.workflow
        let what = "oauth2 auth of connection '\(connection.name)'"
        if oauth.has("audience") {
            error("'audience' applies to grant client_credentials only; remove it", at: oauth.keyLocation("audience")!)
        }
        let authorizeNode = oauth["authorize_url"]
        if grant == .authorizationCode, authorizeNode == nil {
            error("\(what) has no 'authorize_url'; add the provider's authorization endpoint, e.g. 'authorize_url: https://example.com/oauth2/authorize'",
                  at: oauth.node.location)
        }
        if grant == .authorizationCode, let seed = oauth["refresh_token"] {
            error("'refresh_token' gives the first refresh token of grant refresh_token; with authorization_code, 'baton connect \(connection.name)' obtains it",
                  at: seed.location)
        }
        let tokenURL = required(oauth, "token_url", of: what).flatMap { httpURL($0, "token_url") }
        let clientID = required(oauth, "client_id", of: what).flatMap { template($0, scope: scope) }
        let authorizeURL = authorizeNode.flatMap { httpURL($0, "authorize_url") }
        let clientSecret = oauth["client_secret"].flatMap { secretTemplate($0, "client_secret", of: connection) }
        let redirectURI = oauth["redirect_uri"].flatMap { httpURL($0, "redirect_uri") }
        let seed = grant == .refreshToken ? oauth["refresh_token"].flatMap { secretTemplate($0, "refresh_token", of: connection) } : nil
        let clientAuth = oauth["client_auth"].flatMap { choice($0, "client_auth", as: OAuth2UserGrant.ClientAuthentication.self) }
        if clientAuth == .basic, !oauth.has("client_secret") {
            error("client_auth basic sends the client secret; add 'client_secret: ${{ secrets.CLIENT_SECRET }}' or use 'client_auth: body'",
                  at: oauth.keyLocation("client_auth")!)
        }
        guard let tokenURL, let clientID else { return nil }
        return OAuth2UserGrant(grant: grant, tokenURL: tokenURL, authorizeURL: authorizeURL, clientID: clientID,
                               clientSecret: clientSecret, scopes: readScopes(oauth), redirectURI: redirectURI,
                               refreshToken: seed, clientAuthentication: clientAuth)
    }

    func readSession(_ node: SourceNode, connection: SignInContext) -> SessionAuth? {
        let what = "session auth of connection '\(connection.name)'"
        guard let session = fields(node, of: what, allowed: Self.sessionKeys) else { return nil }
        let responseScope = ExpressionScope(place: what, names: ["env", "secrets", "response"])
        let login = required(session, "login", of: what).flatMap {
            let place = "the login request of connection '\(connection.name)'"
            return readSignInRequest($0, of: place, scope: ExpressionScope(place: place, names: ["env", "secrets"]),
                                     hasBaseURL: connection.hasBaseURL)
        }
        let refresh = session["refresh"].flatMap {
            let place = "the refresh request of connection '\(connection.name)'"
            return readSignInRequest($0, of: place, scope: ExpressionScope(place: place, names: ["env", "secrets", "session"]),
                                     hasBaseURL: connection.hasBaseURL)
        }
        let token = required(session, "token", of: what, example: "${{ response.body.access_token }}").flatMap {
            expressionTemplate($0, "token", scope: responseScope)
        }
        let refreshToken = session["refresh_token"].flatMap { expressionTemplate($0, "refresh_token", scope: responseScope) }
        if session.has("refresh"), !session.has("refresh_token") {
            warning("\(what) has a refresh request but no 'refresh_token'; the refresh request sees only session.token",
                    at: session.keyLocation("refresh")!)
        }
        if session.has("expires_in"), session.has("expires_at") {
            error("\(what) has both 'expires_in' and 'expires_at'; keep the one the response gives",
                  at: session.keyLocation("expires_at")!)
        }
        let expiresIn = session["expires_in"].flatMap { expressionTemplate($0, "expires_in", scope: responseScope) }
        let expiresAt = session["expires_at"].flatMap { expressionTemplate($0, "expires_at", scope: responseScope) }
        let header = session["header"].flatMap { nonEmptyString($0, "header") } ?? "Authorization"
        var scheme: String? = header.lowercased() == "authorization" ? "Bearer" : nil
        if let schemeNode = session["scheme"], let text = string(schemeNode, "scheme") {
            scheme = text.isEmpty ? nil : text
        }
        guard let login, let token else { return nil }
        return SessionAuth(login: login, refresh: refresh, token: token, refreshToken: refreshToken, expiresIn: expiresIn,
                           expiresAt: expiresAt, header: header, scheme: scheme, location: node.location)
    }

    /// A login or refresh request: an `http` request without connection, auth or pagination.
    private func readSignInRequest(_ node: SourceNode, of what: String, scope: ExpressionScope, hasBaseURL: Bool) -> HTTPRequestSpec? {
        guard let http = fields(node, of: what, allowed: Self.signInRequestKeys) else { return nil }
        guard let urlNode = required(http, "url", of: what, example: "https://api.example.com/login"),
              let url = template(urlNode, scope: scope) else { return nil }
        if case .literal(.string(let text)) = url, !text.hasPrefix("http://"), !text.hasPrefix("https://") {
            if !text.hasPrefix("/") || !hasBaseURL {
                error("url '\(text)' of \(what) must start with http:// or https://\(hasBaseURL ? " (or '/' for a path under the connection's base_url)" : "")",
                      at: urlNode.location)
                return nil
            }
        }
        let bodyKeys = ["json", "form", "body"].filter { http.has($0) }
        var body: HTTPRequestSpec.Body? = nil
        if bodyKeys.count > 1 {
            error("\(what) has \(bodyKeys.map { "'\($0)'" }.joined(separator: " and ")); a request has one body, so keep one",
                  at: http.keyLocation(bodyKeys[1])!)
        } else if let key = bodyKeys.first, let value = http[key] {
            switch key {
            case "json": body = template(value, scope: scope).map { .json($0) }
            case "form": body = memberTemplates(value, "form field", scope: scope).map { .form($0) }
            default: body = template(value, scope: scope).map { .raw($0) }
            }
        }
        var method = body == nil ? "GET" : "POST"
        if let methodNode = http["method"], let text = string(methodNode, "method") {
            guard let normalized = Self.httpMethod(text) else {
                error("unknown HTTP method '\(text)' in \(what); use GET, POST, PUT or PATCH", at: methodNode.location)
                return nil
            }
            method = normalized
        }
        let query = http["query"].flatMap { memberTemplates($0, "query parameter", scope: scope) } ?? []
        let headers = http["headers"].flatMap { memberTemplates($0, "header", scope: scope) } ?? []
        let timeout = http["timeout"].flatMap { duration($0, "timeout") }
        return HTTPRequestSpec(method: method, url: url, connection: nil, query: query, headers: headers, body: body,
                               auth: nil, timeout: timeout, expect: [], paginate: nil, idempotencyKey: nil)
    }

    /// A URL setting of the workflow level: an expression, or literal text starting with http(s)://.
    private func httpURL(_ node: SourceNode, _ key: String) -> Template? {
        guard let url = template(node, scope: .workflow) else { return nil }
        if case .literal(.string(let text)) = url, !text.hasPrefix("http://"), !text.hasPrefix("https://") {
            error("\(key) '\(text)' must start with https:// (or http:// for a local server)", at: node.location)
            return nil
        }
        if case .literal(let value) = url, value.stringValue == nil {
            error("\(key) must be a URL, not \(node.kindDescription)", at: node.location)
            return nil
        }
        return url
    }

    /// A credential: read from `secrets.X`; written in the file, it works but is warned about.
    private func secretTemplate(_ node: SourceNode, _ key: String, of connection: SignInContext) -> Template? {
        guard let value = template(node, scope: .workflow) else { return nil }
        if value.literalValue != nil {
            let name = "\(connection.name)_\(key)".uppercased()
            warning("\(key) of connection '\(connection.name)' is written in the file; store it with 'baton secrets set \(name)' and write ${{ secrets.\(name) }}",
                    at: node.location)
        }
        return value
    }
}

import BatonCore
import Foundation
import JSONata

/// A session connection's login and refresh requests, ready to evaluate, and the mapping of
/// their responses into a ``TokenSet``.
public struct SessionSignIn: Sendable {
    /// The settings as checked.
    let auth: SessionAuth
    /// The connection without its auth, for its base URL and headers.
    let connection: Connection
    /// `{env, secrets}`: all a connection's expressions may read.
    let context: JSONValue

    /// Creates the sign-in of `connection`, whose auth is `auth`, with `env` and `secrets` from `context`.
    init(auth: SessionAuth, connection: Connection, context: JSONValue) {
        self.auth = auth
        var bare = connection
        bare.auth = nil
        self.connection = bare
        self.context = .object(["env": context["env"] ?? .object([:]), "secrets": context["secrets"] ?? .object([:])])
    }

    /// Whether a refresh request is configured.
    var canRefresh: Bool { auth.refresh != nil }

    /// The login request.
    func loginRequest(timeout: Duration) throws -> PreparedRequest {
        try request(auth.login, context: context, what: "login", timeout: timeout)
    }

    /// The refresh request for `tokens`, or nil when none is configured.
    func refreshRequest(_ tokens: TokenSet, timeout: Duration) throws -> PreparedRequest? {
        guard let refresh = auth.refresh else { return nil }
        guard case .object(var object) = context else { return nil }
        object["session"] = .object(["token": .string(tokens.accessToken),
                                     "refresh_token": tokens.refreshToken.map(JSONValue.string) ?? .null])
        return try request(refresh, context: .object(object), what: "refresh", timeout: timeout)
    }

    private func request(_ spec: HTTPRequestSpec, context: JSONValue, what: String, timeout: Duration) throws -> PreparedRequest {
        let evaluator = HTTPStepCalls.Evaluator(context: context, step: Step(id: what, action: .http(spec), location: auth.location))
        return try evaluator.httpCall(spec, connection: connection, idempotencyKey: "", timeout: spec.timeout ?? timeout).request
    }

    /// The token set a login or refresh `result` gives; `previous` supplies the refresh token
    /// when a refresh answer carries none.
    ///
    /// - Throws: ``SignInFailure`` for a refusal (4xx) or an answer the mappings cannot read,
    ///   ``StepCallError`` for answers worth trying again.
    func tokenSet(from result: HTTPResult, of request: PreparedRequest, what: String, previous: TokenSet?, now: Date) throws -> TokenSet {
        let endpoint = "the \(what) request \(request.method) \(request.url)"
        guard (200...299).contains(result.status) else {
            let detail = StepCallError.excerpt(result.body, raw: result.rawBody)
            if (400...499).contains(result.status), result.status != 408, result.status != 429 {
                throw SignInFailure(message: "\(endpoint) answered \(result.status): \(detail)", status: result.status,
                                    providerError: result.body?["error"]?.stringValue)
            }
            throw StepCallError(.unexpectedStatus(status: result.status, body: result.body),
                                message: "\(endpoint) answered \(result.status): \(detail); this is usually temporary",
                                method: request.method, url: request.url, responseHeaders: result.headers)
        }
        guard case .object(var object) = context else { throw SignInFailure(message: "no context", status: result.status) }
        object["response"] = result.output
        let scope = JSONValue.object(object)
        func text(_ template: Template?) throws -> String? {
            guard let template else { return nil }
            switch try template.evaluate(in: scope) {
            case .string(let text)? where !text.isEmpty: return text
            case .number(let number)?: return JSONValue.number(number).serialized()
            default: return nil
            }
        }
        guard let token = try text(auth.token) else {
            let at = auth.token.expressions.first.map { " (\($0.location))" } ?? ""
            throw SignInFailure(message: "\(endpoint) answered \(result.status), but the 'token' expression\(at) gave no text for it; check the expression against the response",
                                status: result.status)
        }
        var expiresAt: Date? = nil
        if let seconds = try text(auth.expiresIn).flatMap(Double.init) {
            expiresAt = now.addingTimeInterval(seconds)
        } else if let text = try text(auth.expiresAt) {
            expiresAt = ISO8601Time.parse(text) ?? Double(text).map { Date(timeIntervalSince1970: $0 > 100_000_000_000 ? $0 / 1000 : $0) }
        } else {
            expiresAt = JWTClaims.expiry(of: token)
        }
        let refreshToken = try text(auth.refreshToken) ?? previous?.refreshToken
        return TokenSet(accessToken: token, refreshToken: refreshToken, expiresAt: expiresAt, obtainedAt: now)
    }
}

import Foundation
import JSONata

/// Reads a token endpoint's answer (RFC 6749 §5.1 and §5.2) into a token set or a failure
/// that says whether trying again can help.
enum OAuth2TokenResponse {
    /// The token set of a successful answer. A response without `refresh_token` keeps
    /// `previousRefreshToken` (providers that do not rotate send none).
    ///
    /// - Throws: ``SignInFailure`` (permanent) for a 4xx answer, ``StepCallError`` for
    ///   answers worth trying again (5xx, 408, 429) and for malformed ones.
    static func tokenSet(_ result: HTTPResult, of request: PreparedRequest, what: String, previousRefreshToken: String?,
                         now: Date) throws -> TokenSet {
        let endpoint = "the token endpoint \(request.method) \(request.url)"
        guard (200...299).contains(result.status) else {
            let code = result.body?["error"]?.stringValue
            let description = result.body?["error_description"]?.stringValue
            let detail = code.map { "\($0)\(description.map { ": \($0)" } ?? "")" }
                ?? StepCallError.excerpt(result.body, raw: result.rawBody)
            if (400...499).contains(result.status), result.status != 408, result.status != 429 {
                let why = code == "invalid_grant" ? "rejected \(what) (\(detail))" : "answered \(result.status) to \(what) (\(detail))"
                throw SignInFailure(message: "\(endpoint) \(why)", status: result.status, providerError: code)
            }
            throw StepCallError(.unexpectedStatus(status: result.status, body: result.body),
                                message: "\(endpoint) answered \(result.status) to \(what) (\(detail)); this is usually temporary",
                                method: request.method, url: request.url, responseHeaders: result.headers)
        }
        guard let token = result.body?["access_token"]?.stringValue, !token.isEmpty else {
            throw StepCallError(.invalidResponse,
                                message: "\(endpoint) answered \(result.status) without an access_token in a JSON body; check that token_url is the provider's token endpoint",
                                method: request.method, url: request.url, responseHeaders: result.headers)
        }
        var expiresAt: Date? = nil
        if let seconds = number(result.body?["expires_in"]) {
            expiresAt = now.addingTimeInterval(seconds)
        } else {
            expiresAt = JWTClaims.expiry(of: token)
        }
        let rotated = result.body?["refresh_token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        return TokenSet(accessToken: token, refreshToken: rotated ?? previousRefreshToken, expiresAt: expiresAt,
                        obtainedAt: now, scope: result.body?["scope"]?.stringValue)
    }

    /// A number, or text holding one (some providers send `"expires_in": "3600"`).
    static func number(_ value: JSONValue?) -> Double? {
        value?.numberValue ?? value?.stringValue.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }
}

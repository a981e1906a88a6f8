import JSONata

extension StepHTTPClient {
    /// Makes one attempt of `call`: sets the `Idempotency-Key`, applies auth, sends, and checks
    /// the status against `expect`. With OAuth2 or a signed-in connection, a 401 gets one
    /// refresh and the request is sent once more with the new token.
    ///
    /// - Throws: ``StepCallError`` (with ``StepCallError/Kind/unexpectedStatus(status:body:)`` and
    ///   `retryAfter` for a status outside `expect`) or `CancellationError`.
    public func perform(_ call: HTTPCall) async throws -> HTTPResult {
        var request = call.request
        if let key = call.idempotencyKey {
            request.addHeaderIfAbsent("Idempotency-Key", key)
        }
        let authorized = try await authorize(request, with: call.auth)
        var result = try await send(authorized)
        if result.status == 401 {
            switch call.auth {
            case .oauth2(let credentials)? where !call.request.hasHeader("Authorization"):
                await tokens.invalidate(credentials)
                result = try await send(try await authorize(request, with: call.auth))
            case .connection(let credential)? where !call.request.hasHeader(credential.signIn.header):
                let signIn = credential.signIn
                let rejected = signIn.token(fromHeader: authorized.header(signIn.header))
                let fresh = try await credential.provider.tokenRejected(rejected, for: signIn, using: self)
                var retry = request
                retry.setHeader(signIn.header, signIn.headerValue(fresh))
                result = try await send(retry)
            default:
                break
            }
        }
        try check(result, of: request, expect: call.expect)
        return result
    }

    /// Throws ``StepCallError/Kind/unexpectedStatus(status:body:)`` unless `expect` accepts the status.
    func check(_ result: HTTPResult, of request: PreparedRequest, expect: StatusExpectation) throws {
        guard !expect.accepts(result.status) else { return }
        let retryAfter = result.header("Retry-After").flatMap { RetryAfter.parse($0, now: configuration.now()) }
        throw StepCallError(.unexpectedStatus(status: result.status, body: result.body),
                            message: "\(request.method) \(request.url) answered \(result.status)\(Self.reason(result.status)), expected \(expect.description): \(StepCallError.excerpt(result.body, raw: result.rawBody))\(Self.advice(result.status))",
                            method: request.method, url: request.url, retryAfter: retryAfter, responseHeaders: result.headers)
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 400: return " Bad Request"
        case 401: return " Unauthorized"
        case 403: return " Forbidden"
        case 404: return " Not Found"
        case 409: return " Conflict"
        case 422: return " Unprocessable Content"
        case 429: return " Too Many Requests"
        case 500: return " Internal Server Error"
        case 502: return " Bad Gateway"
        case 503: return " Service Unavailable"
        case 504: return " Gateway Timeout"
        default: return ""
        }
    }

    static func advice(_ status: Int) -> String {
        switch status {
        case 401, 403: return " (check the credentials and their permissions)"
        case 404: return " (check the URL and the ids in it)"
        case 400, 422: return " (check the request body and parameters against the API's documentation)"
        case 429: return " (the API's rate limit was hit; add a rate_limit or wait longer between retries)"
        case 500...599: return " (the service failed; this is usually temporary)"
        default: return ""
        }
    }
}

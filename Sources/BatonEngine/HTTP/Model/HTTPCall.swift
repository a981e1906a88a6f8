import JSONata

/// Everything one `http` step attempt needs besides the request itself.
public struct HTTPCall: Sendable {
    /// The request, expressions evaluated.
    public var request: PreparedRequest
    /// Credentials to add.
    public var auth: RequestAuth?
    /// The statuses that count as success (2xx by default).
    public var expect: StatusExpectation
    /// The `Idempotency-Key` sent with every attempt unless the request sets its own.
    public var idempotencyKey: String?

    /// Creates a call.
    public init(request: PreparedRequest, auth: RequestAuth? = nil, expect: StatusExpectation = .init(),
                idempotencyKey: String? = nil) {
        self.request = request
        self.auth = auth
        self.expect = expect
        self.idempotencyKey = idempotencyKey
    }
}

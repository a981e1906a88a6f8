import JSONata
import OrderedCollections

/// Why a step failed, as recorded in the store and shown as `steps.X.error`.
public struct StepFailure: Error, Sendable, CustomStringConvertible {
    /// A short machine-readable kind: `expression`, `http_status`, `network`, `timeout`, `fail`, ...
    public var code: String
    /// What happened and what to check.
    public var message: String
    /// Whether another attempt may succeed (network errors, timeouts, 429, 5xx by default).
    public var retryable: Bool
    /// A wait the remote side asked for (`Retry-After`), honoured when longer than the backoff.
    public var retryAfter: Duration?
    /// Extra details (HTTP status and body, GraphQL errors, SOAP fault) exposed to expressions.
    public var details: OrderedDictionary<String, JSONValue>

    /// Creates a failure.
    public init(code: String, message: String, retryable: Bool = false, retryAfter: Duration? = nil,
                details: OrderedDictionary<String, JSONValue> = [:]) {
        self.code = code
        self.message = message
        self.retryable = retryable
        self.retryAfter = retryAfter
        self.details = details
    }

    /// `{code, message, ...details}`, the value of `steps.X.error`.
    public var json: JSONValue {
        var object: OrderedDictionary<String, JSONValue> = ["code": .string(code), "message": .string(message)]
        for (key, value) in details where object[key] == nil { object[key] = value }
        return .object(object)
    }

    /// The message.
    public var description: String { message }
}

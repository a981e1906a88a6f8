import BatonCore
import BatonStore
import JSONata

/// Performs the actions that leave the process: `http`, `graphql` and `soap`. The executor
/// evaluates the templates and drives retries; this performs one attempt.
public protocol RemoteCalls: Sendable {
    /// Makes one attempt of a step's call with its templates evaluated against `context`.
    ///
    /// - Parameters:
    ///   - step: the step (its action is `.http`, `.graphql` or `.soap`; its `retry.when` says
    ///     which failures are retryable, its `rate_limit` what to wait for).
    ///   - context: the expression context of this attempt.
    ///   - idempotencyKey: `<run id>-<step id>[-<index>]`, sent unless the step sets its own.
    ///   - timeout: the attempt's time limit unless the step or its connection sets one.
    ///   - workflow: the workflow, for its connections.
    ///   - secrets: the secret values to mask in what is recorded.
    /// - Returns: the step's output, or a failure marked retryable or not, and what to record.
    func call(_ step: Step, context: JSONValue, idempotencyKey: String, timeout: Duration,
              workflow: Workflow, secrets: [String]) async -> RemoteCallResult
}

/// The outcome of one attempt of a remote call, with what the audit log records of it.
public struct RemoteCallResult: Sendable {
    /// The output on success, or why it failed.
    public var result: Result<JSONValue, StepFailure>
    /// The request as sent (method, URL, headers, body), as JSON text, secrets not yet redacted.
    public var requestSummary: String?
    /// The response status, when one came back.
    public var responseStatus: Int?
    /// The response headers as JSON text.
    public var responseHeaders: String?
    /// The response body (truncated) as text.
    public var responseBody: String?

    /// Creates a result.
    public init(result: Result<JSONValue, StepFailure>, requestSummary: String? = nil, responseStatus: Int? = nil,
                responseHeaders: String? = nil, responseBody: String? = nil) {
        self.result = result
        self.requestSummary = requestSummary
        self.responseStatus = responseStatus
        self.responseHeaders = responseHeaders
        self.responseBody = responseBody
    }
}



/// Decides whether a failed attempt is worth another try.
public struct RetryClassifier: Sendable {
    /// What is retried.
    public var conditions: [RetryCondition]

    /// Creates a classifier; the default retries network errors, timeouts, 429 and 5xx.
    public init(conditions: [RetryCondition] = RetryCondition.defaults) {
        self.conditions = conditions
    }

    /// Whether `error` is retryable. Only network, timeout and status failures can be: a GraphQL
    /// error, a SOAP fault, an unreadable or oversized response, or a bad request fails the same
    /// way again.
    public func isRetryable(_ error: StepCallError) -> Bool {
        switch error.kind {
        case .network: return conditions.contains(.network)
        case .timeout: return conditions.contains(.timeout)
        case .unexpectedStatus(let status, _): return conditions.contains { $0.matches(status: status) }
        case .graphql, .soapFault, .invalidResponse, .tooLarge, .invalidRequest: return false
        }
    }

    /// Whether `error` is retryable; errors that are not a ``StepCallError`` are not
    /// (cancellation included).
    public func isRetryable(_ error: any Error) -> Bool {
        (error as? StepCallError).map(isRetryable) ?? false
    }
}

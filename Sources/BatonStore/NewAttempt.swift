import Foundation

/// One try of a step (usually one HTTP request), as the executor records it.
///
/// Recording the same attempt number twice for a step replaces the first record, so a
/// checkpoint may be committed again safely.
public struct NewAttempt: Sendable, Hashable, Codable {
    /// 1 for the first try; after a crash the executor continues from ``StepExecution/attemptCount``.
    public var number: Int
    /// When the attempt started.
    public var startedAt: Date
    /// How long it took, if it finished.
    public var duration: Duration?
    /// A redacted summary of the request (method, URL, body excerpt) as JSON text.
    public var requestSummary: String?
    /// The HTTP status of the response, if one came back.
    public var responseStatus: Int?
    /// The response headers as JSON text.
    public var responseHeaders: String?
    /// A redacted, truncated excerpt of the response body, kept to explain failures.
    public var responseBody: String?
    /// What went wrong, if the attempt failed.
    public var error: String?

    /// Describes an attempt.
    public init(
        number: Int, startedAt: Date, duration: Duration? = nil, requestSummary: String? = nil,
        responseStatus: Int? = nil, responseHeaders: String? = nil, responseBody: String? = nil,
        error: String? = nil
    ) {
        precondition(number >= 1, "attempt numbers start at 1")
        self.number = number
        self.startedAt = startedAt
        self.duration = duration
        self.requestSummary = requestSummary
        self.responseStatus = responseStatus
        self.responseHeaders = responseHeaders
        self.responseBody = responseBody
        self.error = error
    }
}

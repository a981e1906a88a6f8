import BatonStore

extension Redactor {
    /// `attempt` with every secret masked in what it recorded of the request and the response.
    func redact(_ attempt: NewAttempt) -> NewAttempt {
        var copy = attempt
        copy.requestSummary = attempt.requestSummary.map(redact)
        copy.responseHeaders = attempt.responseHeaders.map(redact)
        copy.responseBody = attempt.responseBody.map(redact)
        copy.error = attempt.error.map(redact)
        return copy
    }
}

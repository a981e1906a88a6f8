import JSONata
import OrderedCollections

/// What the audit log records of a response: status, headers and how long it took.
public struct ResponseSummary: Sendable {
    /// The status code.
    public var status: Int
    /// The headers, cookies and secret values masked.
    public var headers: [(String, String)]
    /// From sending the request to the last byte of the response.
    public var duration: Duration
    /// The body's size in bytes.
    public var bodyBytes: Int

    /// Summarises `result`.
    public init(_ result: HTTPResult, redactor: Redactor) {
        status = result.status
        headers = result.headers.map { name, value in
            (name, RequestSummary.sensitiveHeaders.contains(name.lowercased()) ? Redactor.mask : redactor.redact(value))
        }
        duration = result.duration
        bodyBytes = result.rawBody.count
    }

    /// The summary as a JSON value: `{status, headers, duration_ms, body_bytes}`.
    public var jsonValue: JSONValue {
        ["status": .number(Double(status)), "headers": HTTPResult.headersValue(headers),
         "duration_ms": .number(duration.milliseconds), "body_bytes": .number(Double(bodyBytes))]
    }
}

import JSONata
import OrderedCollections

/// Why a call to an API failed; the message says what happened and what to check.
public struct StepCallError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable {
        /// No answer: the connection was refused, reset or could not be made (DNS, TLS).
        case network
        /// The attempt took longer than its timeout.
        case timeout
        /// The server answered with a status the step does not accept; `body` is the parsed response.
        case unexpectedStatus(status: Int, body: JSONValue?)
        /// A GraphQL response carried a non-empty `errors` array.
        case graphql(errors: [JSONValue])
        /// A SOAP 1.1 fault.
        case soapFault(code: String, string: String, detail: JSONValue?)
        /// The response could not be read as its content type claims, or misses what the protocol requires.
        case invalidResponse
        /// The response body exceeded the size limit.
        case tooLarge(limit: Int)
        /// The request could not be built (a bad URL, an element name XML cannot carry, ...).
        case invalidRequest
    }

    /// What went wrong.
    public var kind: Kind
    /// The full explanation, naming the request and what to check.
    public var message: String
    /// The request's method.
    public var method: String
    /// The request's URL (redact it with ``Redactor`` before recording).
    public var url: String
    /// How long the server asked us to wait (from `Retry-After`), if it did.
    public var retryAfter: Duration?
    /// The response headers, when there was a response.
    public var responseHeaders: [(String, String)]
    /// The underlying error's description, when there is one.
    public var cause: String?

    /// Creates an error.
    public init(_ kind: Kind, message: String, method: String, url: String, retryAfter: Duration? = nil,
                responseHeaders: [(String, String)] = [], cause: String? = nil) {
        self.kind = kind
        self.message = message
        self.method = method
        self.url = url
        self.retryAfter = retryAfter
        self.responseHeaders = responseHeaders
        self.cause = cause
    }

    /// The HTTP status, when the server answered.
    public var status: Int? {
        if case .unexpectedStatus(let status, _) = kind { return status }
        return nil
    }

    /// A short code for the kind: `network`, `timeout`, `unexpected_status`, `graphql`, `soap_fault`,
    /// `invalid_response`, `too_large`, `invalid_request`.
    public var code: String {
        switch kind {
        case .network: return "network"
        case .timeout: return "timeout"
        case .unexpectedStatus: return "unexpected_status"
        case .graphql: return "graphql"
        case .soapFault: return "soap_fault"
        case .invalidResponse: return "invalid_response"
        case .tooLarge: return "too_large"
        case .invalidRequest: return "invalid_request"
        }
    }

    /// The message.
    public var description: String { message }

    /// The error as a JSON value for `steps.X.error`: `{code, message, status?, body?, errors?, fault?}`.
    public var jsonValue: JSONValue {
        var object: [(String, JSONValue)] = [("code", .string(code)), ("message", .string(message))]
        switch kind {
        case .unexpectedStatus(let status, let body):
            object.append(("status", .number(Double(status))))
            object.append(("body", body ?? .null))
        case .graphql(let errors):
            object.append(("errors", .array(errors)))
        case .soapFault(let code, let string, let detail):
            object.append(("fault", ["faultcode": .string(code), "faultstring": .string(string), "detail": detail ?? .null]))
        case .network, .timeout, .invalidResponse, .tooLarge, .invalidRequest:
            break
        }
        return .object(.init(uniqueKeysWithValues: object))
    }

    /// This error with every secret replaced by `***` in its message, URL, body and headers.
    public func redacted(with redactor: Redactor) -> StepCallError {
        var copy = self
        copy.message = redactor.redact(message)
        copy.url = redactor.redact(url)
        copy.cause = cause.map(redactor.redact)
        copy.responseHeaders = redactor.redact(headers: responseHeaders)
        switch kind {
        case .unexpectedStatus(let status, let body):
            copy.kind = .unexpectedStatus(status: status, body: body.map(redactor.redact))
        case .graphql(let errors):
            copy.kind = .graphql(errors: errors.map(redactor.redact))
        case .soapFault(let code, let string, let detail):
            copy.kind = .soapFault(code: redactor.redact(code), string: redactor.redact(string), detail: detail.map(redactor.redact))
        case .network, .timeout, .invalidResponse, .tooLarge, .invalidRequest:
            break
        }
        return copy
    }
}

extension StepCallError {
    /// A short excerpt of a body for messages: at most `limit` characters on one line.
    static func excerpt(_ body: JSONValue?, raw: [UInt8], limit: Int = 200) -> String {
        let text: String
        if let body, case .string(let s) = body {
            text = s
        } else if let body {
            text = body.serialized()
        } else {
            text = String(decoding: raw, as: UTF8.self)
        }
        let oneLine = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return oneLine.count > limit ? String(oneLine.prefix(limit)) + "…" : oneLine
    }
}

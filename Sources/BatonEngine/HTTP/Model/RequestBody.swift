import JSONata

/// The one body a request may carry.
public enum RequestBody: Sendable {
    /// A JSON document, sent as `application/json`.
    case json(JSONValue)
    /// URL-encoded form fields, sent as `application/x-www-form-urlencoded`.
    case form([(String, String)])
    /// Text sent as written, with its content type.
    case raw(String, contentType: String)

    /// The `Content-Type` the body is sent with.
    public var contentType: String {
        switch self {
        case .json: return "application/json"
        case .form: return "application/x-www-form-urlencoded"
        case .raw(_, let contentType): return contentType
        }
    }

    /// The bytes sent on the wire.
    public var bytes: [UInt8] {
        switch self {
        case .json(let value): return value.serializedBytes()
        case .form(let fields): return Array(URLQuery.encode(fields).utf8)
        case .raw(let text, _): return Array(text.utf8)
        }
    }
}

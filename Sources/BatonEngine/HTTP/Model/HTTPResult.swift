import JSONata
import OrderedCollections

/// The answer to one HTTP request.
public struct HTTPResult: Sendable {
    /// The status code.
    public var status: Int
    /// The response header fields in the order received.
    public var headers: [(String, String)]
    /// The body parsed by content type (JSON, XML as JSON, else text); `nil` when the body is empty.
    public var body: JSONValue?
    /// The body's bytes as received.
    public var rawBody: [UInt8]
    /// From sending the request to the last byte of the response.
    public var duration: Duration

    /// Creates a result.
    public init(status: Int, headers: [(String, String)], body: JSONValue?, rawBody: [UInt8], duration: Duration) {
        self.status = status
        self.headers = headers
        self.body = body
        self.rawBody = rawBody
        self.duration = duration
    }

    /// The value of the first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.equalsIgnoringCase(name) }?.1
    }

    /// The headers as a JSON object with lower-cased names; repeated fields are joined with `, `
    /// (RFC 9110 §5.3), except `set-cookie`, whose values become an array.
    public var headersValue: JSONValue {
        Self.headersValue(headers)
    }

    /// The step output that the next step maps: `{status, headers, body}`.
    public var output: JSONValue {
        ["status": .number(Double(status)), "headers": headersValue, "body": body ?? .null]
    }

    static func headersValue(_ headers: [(String, String)]) -> JSONValue {
        var object = OrderedDictionary<String, JSONValue>()
        for (name, value) in headers {
            let key = name.lowercased()
            switch object[key] {
            case nil:
                object[key] = key == "set-cookie" ? .array([.string(value)]) : .string(value)
            case .array(let values)?:
                object[key] = .array(values + [.string(value)])
            case .string(let earlier)?:
                object[key] = .string(earlier + ", " + value)
            default:
                break
            }
        }
        return .object(object)
    }
}

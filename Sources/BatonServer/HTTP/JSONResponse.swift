import Foundation
import Hummingbird
import JSONata
import NIOCore
import OrderedCollections

/// JSON responses in the one shape every endpoint uses; errors are `{error: {code, message}}`.
enum JSONResponse {
    /// A JSON body with `status`.
    static func make(_ status: HTTPResponse.Status, _ value: JSONValue, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: value.serialized())))
    }

    /// An error with a stable `code` and a `message` that says what to do.
    static func error(_ status: HTTPResponse.Status, code: String, _ message: String, headers: HTTPFields = [:]) -> Response {
        make(status, .object(["error": .object(["code": .string(code), "message": .string(message)])]), headers: headers)
    }

    /// Plain text, for health checks and metrics.
    static func text(_ status: HTTPResponse.Status, _ text: String, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

extension Request {
    /// The request's headers as name/value pairs, names as sent.
    var headerPairs: [(String, String)] {
        headers.map { ($0.name.rawName, $0.value) }
    }

    /// The headers as a JSON object with lowercase names, for `trigger.headers`; repeated
    /// headers are joined with ", " as HTTP allows.
    var headersJSON: JSONValue {
        var object = OrderedDictionary<String, JSONValue>()
        for field in headers {
            let name = field.name.canonicalName
            if case .string(let earlier)? = object[name] {
                object[name] = .string(earlier + ", " + field.value)
            } else {
                object[name] = .string(field.value)
            }
        }
        return .object(object)
    }

    /// The query string as a JSON object; a repeated name becomes an array. Names and values
    /// are decoded as browsers and form posts encode them (`+` is a space, `%XX` a byte).
    var queryJSON: JSONValue {
        var object = OrderedDictionary<String, JSONValue>()
        for pair in (uri.query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decodeQueryComponent(parts[0])
            let text = JSONValue.string(parts.count > 1 ? Self.decodeQueryComponent(parts[1]) : "")
            switch object[key] {
            case nil: object[key] = text
            case .array(var values)?: values.append(text); object[key] = .array(values)
            case let single?: object[key] = .array([single, text])
            }
        }
        return .object(object)
    }

    /// `+` as a space, then percent-decoding; text that does not decode stays as sent.
    static func decodeQueryComponent(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

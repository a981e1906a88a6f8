import BatonEngine
import Hummingbird
import JSONata
import OrderedCollections

/// The API's answers to refusals, in the one error shape `{error: {code, message}}` (with
/// `problems` when there are several).
enum APIError {
    /// The answer to a refused run operation: 404, 409, 400 or 503 by its kind.
    static func response(_ error: RunOperationError) -> Response {
        let status: HTTPResponse.Status = switch error.kind {
        case .notFound: .notFound
        case .conflict: .conflict
        case .invalid: .badRequest
        case .unavailable: .serviceUnavailable
        }
        return response(status, code: error.code, error.message, problems: error.problems)
    }

    /// The answer to query parameters that could not be read: 400, each problem listed.
    static func badQuery(_ problems: [String]) -> Response {
        response(.badRequest, code: "bad_query", problems.joined(separator: "; "), problems: problems)
    }

    /// The answer to a store that failed while reading.
    static func unavailable(_ doing: String, _ error: any Error) -> Response {
        JSONResponse.error(.serviceUnavailable, code: "store", "\(doing) failed: \(error)")
    }

    /// An error response; `problems` are listed when there is more than one thing to fix.
    static func response(_ status: HTTPResponse.Status, code: String, _ message: String, problems: [String] = []) -> Response {
        var object: OrderedDictionary<String, JSONValue> = ["code": .string(code), "message": .string(message)]
        if !problems.isEmpty { object["problems"] = .array(problems.map(JSONValue.string)) }
        return JSONResponse.make(status, .object(["error": .object(object)]))
    }
}

extension Request {
    /// The query's parameters as (name, value) pairs, in order, values percent-decoded.
    var queryPairs: [(String, String)] {
        uri.queryParameters.map { (String($0.key), String($0.value)) }
    }
}

import JSONata
import OrderedCollections

extension StepHTTPClient {
    /// Makes one GraphQL attempt. The output is `{status, headers, body}` like an `http` step's,
    /// where `body` is the GraphQL response (`{data, extensions?}`).
    ///
    /// - Throws: ``StepCallError/Kind/graphql(errors:)`` when the response has a non-empty
    ///   `errors` array (even beside partial `data`), ``StepCallError/Kind/unexpectedStatus(status:body:)``
    ///   for a non-2xx status, ``StepCallError/Kind/invalidResponse`` for a body that is not a
    ///   JSON object.
    public func graphQL(_ call: GraphQLCall) async throws -> HTTPResult {
        let http = call.httpCall
        let result = try await perform(http)
        guard case .object(let response)? = result.body else {
            throw StepCallError(.invalidResponse,
                                message: "the GraphQL endpoint POST \(call.url) answered \(result.status) without a JSON object body (\(StepCallError.excerpt(result.body, raw: result.rawBody))); check that the URL is the GraphQL endpoint",
                                method: "POST", url: call.url, responseHeaders: result.headers)
        }
        if case .array(let errors)? = response["errors"], !errors.isEmpty {
            let messages = errors.prefix(3).map { error -> String in
                var text = error["message"]?.stringValue ?? error.serialized()
                if let path = error["path"], case .array(let parts) = path {
                    text += " (at \(parts.map { $0.stringValue ?? $0.serialized() }.joined(separator: ".")))"
                }
                return text
            }
            let more = errors.count > 3 ? " and \(errors.count - 3) more" : ""
            throw StepCallError(.graphql(errors: errors),
                                message: "the GraphQL request to \(call.url) returned \(errors.count == 1 ? "an error" : "\(errors.count) errors"): \(messages.joined(separator: "; "))\(more); check the query and variables against the API's schema",
                                method: "POST", url: call.url, responseHeaders: result.headers)
        }
        return result
    }
}

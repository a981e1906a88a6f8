import JSONata
import OrderedCollections

/// One GraphQL request: a query document, its variables and operation, POSTed as JSON.
public struct GraphQLCall: Sendable {
    /// The endpoint.
    public var url: String
    /// The query or mutation text.
    public var query: String
    /// The variables (an object), if any.
    public var variables: JSONValue?
    /// The operation to run, when the document holds several.
    public var operationName: String?
    /// Extra headers.
    public var headers: [(String, String)]
    /// Credentials.
    public var auth: RequestAuth?
    /// The attempt's timeout.
    public var timeout: Duration
    /// The `Idempotency-Key` to send unless the headers set one.
    public var idempotencyKey: String?

    /// Creates a call.
    public init(url: String, query: String, variables: JSONValue? = nil, operationName: String? = nil,
                headers: [(String, String)] = [], auth: RequestAuth? = nil, timeout: Duration = .seconds(30),
                idempotencyKey: String? = nil) {
        self.url = url
        self.query = query
        self.variables = variables
        self.operationName = operationName
        self.headers = headers
        self.auth = auth
        self.timeout = timeout
        self.idempotencyKey = idempotencyKey
    }

    /// The HTTP request: `POST url` with `{"query", "variables"?, "operationName"?}` as JSON
    /// and `Accept: application/graphql-response+json, application/json`.
    public var httpCall: HTTPCall {
        var payload = OrderedDictionary<String, JSONValue>()
        payload["query"] = .string(query)
        if let variables { payload["variables"] = variables }
        if let operationName { payload["operationName"] = .string(operationName) }
        var request = PreparedRequest(method: "POST", url: url, headers: headers, body: .json(.object(payload)), timeout: timeout)
        request.addHeaderIfAbsent("Accept", "application/graphql-response+json, application/json")
        return HTTPCall(request: request, auth: auth, idempotencyKey: idempotencyKey)
    }
}

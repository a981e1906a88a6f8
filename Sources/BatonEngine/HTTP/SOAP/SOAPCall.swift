import JSONata
import OrderedCollections

/// One SOAP 1.1 request: an operation element built from JSON, wrapped in an envelope.
public struct SOAPCall: Sendable {
    /// The endpoint.
    public var url: String
    /// The `SOAPAction` header value (sent quoted, as SOAP 1.1 requires).
    public var action: String
    /// `{"Operation": {...}}`: one member, the operation element, written by the mapping of
    /// ``XMLWriter`` (documented on ``SOAPCall/envelope()``).
    public var body: JSONValue
    /// The namespace of the operation element, declared as its default namespace (`xmlns`).
    public var namespace: String?
    /// Extra headers.
    public var headers: [(String, String)]
    /// Credentials.
    public var auth: RequestAuth?
    /// The attempt's timeout.
    public var timeout: Duration
    /// The `Idempotency-Key` to send unless the headers set one.
    public var idempotencyKey: String?

    /// Creates a call.
    public init(url: String, action: String, body: JSONValue, namespace: String? = nil, headers: [(String, String)] = [],
                auth: RequestAuth? = nil, timeout: Duration = .seconds(30), idempotencyKey: String? = nil) {
        self.url = url
        self.action = action
        self.body = body
        self.namespace = namespace
        self.headers = headers
        self.auth = auth
        self.timeout = timeout
        self.idempotencyKey = idempotencyKey
    }

    /// The SOAP 1.1 envelope around the body element.
    ///
    /// JSON → XML: the body's single key names the operation element, which gets
    /// `xmlns="<namespace>"` when a namespace is given (so its children are in it too, as
    /// document/literal services expect). Within it, `"@name"` members are attributes,
    /// `"#text"` is text, other members are child elements in order, an array repeats its
    /// element once per item, `null` is an empty element, and numbers and booleans are written
    /// as JSON writes them (`2`, `1.5`, `true`). `&`, `<`, `>` (and `"` in attributes) are
    /// escaped. A prefixed name (`"m:GetPrice"`) is written as is, with its `"@xmlns:m"`.
    public func envelope() throws(StepCallError) -> String {
        guard case .object(let members) = body, members.count == 1 else {
            throw StepCallError(.invalidRequest,
                                message: "the soap body must be a mapping with exactly one key, the operation element (like {GetPrice: {item: ...}}), not \(XMLWriter.describe(body))\(body.objectCount.map { " with \($0) keys" } ?? "")",
                                method: "POST", url: url)
        }
        let inner: String
        do {
            inner = try XMLWriter.elements(of: body, namespace: namespace)
        } catch {
            throw StepCallError(.invalidRequest, message: "cannot build the soap body for \(url): \(error.message)",
                                method: "POST", url: url)
        }
        _ = members
        return """
            <?xml version="1.0" encoding="utf-8"?>
            <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">\
            <soap:Body>\(inner)</soap:Body></soap:Envelope>
            """
    }

    /// The HTTP request: `POST`, `Content-Type: text/xml; charset=utf-8`, `SOAPAction: "<action>"`.
    public func httpCall() throws(StepCallError) -> HTTPCall {
        let xml = try envelope()
        var request = PreparedRequest(method: "POST", url: url, headers: headers,
                                      body: .raw(xml, contentType: "text/xml; charset=utf-8"), timeout: timeout)
        let quoted = action.hasPrefix("\"") && action.hasSuffix("\"") && action.count >= 2 ? action : "\"\(action)\""
        request.addHeaderIfAbsent("SOAPAction", quoted)
        request.addHeaderIfAbsent("Accept", "text/xml")
        // SOAP 1.1 §6.2: a fault comes back as 500, so every status is read and judged below.
        return HTTPCall(request: request, auth: auth, expect: StatusExpectation([.statusClass(1), .statusClass(2), .statusClass(3), .statusClass(4), .statusClass(5)]),
                        idempotencyKey: idempotencyKey)
    }
}

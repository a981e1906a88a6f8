import JSONata

/// One HTTP request of a step, with every expression already evaluated.
public struct PreparedRequest: Sendable {
    /// The request method, upper case (`GET`, `POST`, ...).
    public var method: String
    /// The absolute URL, query included.
    public var url: String
    /// Header fields in the order they are sent; names are matched case-insensitively.
    public var headers: [(String, String)]
    /// The body, if any.
    public var body: RequestBody?
    /// How long one attempt may take, from connecting to the last byte of the response.
    public var timeout: Duration

    /// Creates a request.
    public init(method: String = "GET", url: String, query: [(String, String)] = [], headers: [(String, String)] = [],
                body: RequestBody? = nil, timeout: Duration = .seconds(30)) {
        self.method = method.uppercased()
        self.url = URLQuery.appending(query, to: url)
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The value of the first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.equalsIgnoringCase(name) }?.1
    }

    /// Whether a header named `name` is present (case-insensitive).
    public func hasHeader(_ name: String) -> Bool { header(name) != nil }

    /// Sets `name` to `value`, replacing every existing field of that name.
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.0.equalsIgnoringCase(name) }
        headers.append((name, value))
    }

    /// Adds `name: value` unless the request already has a field of that name.
    public mutating func addHeaderIfAbsent(_ name: String, _ value: String) {
        if !hasHeader(name) { headers.append((name, value)) }
    }

    /// Appends query parameters to the URL.
    public mutating func appendQuery(_ items: [(String, String)]) {
        url = URLQuery.appending(items, to: url)
    }
}

extension String {
    /// ASCII case-insensitive equality, as HTTP header names compare.
    func equalsIgnoringCase(_ other: String) -> Bool {
        self.utf8.count == other.utf8.count && self.lowercased() == other.lowercased()
    }
}

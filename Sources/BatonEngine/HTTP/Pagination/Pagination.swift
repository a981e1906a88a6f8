import JSONata

/// How an `http` step follows the pages of a list and collects their items.
public struct Pagination: Sendable {
    /// Where the next page comes from.
    public enum Strategy: Sendable {
        /// The `Link: <url>; rel="next"` header (RFC 8288); stops when there is none.
        case link
        /// A cursor read from each response by `next` and sent as the query parameter
        /// `parameter`; stops when `next` gives `nil` or an empty string.
        case cursor(parameter: String, next: @Sendable (HTTPResult) throws -> String?)
        /// A page number sent as the query parameter `parameter`, from `start`; stops at the
        /// first page with no items.
        case page(parameter: String, start: Int = 1)
    }

    /// Where the next page comes from.
    public var strategy: Strategy
    /// The items of one page; by default the body's elements when it is an array, else the body.
    public var items: @Sendable (HTTPResult) throws -> [JSONValue]
    /// Stop after this many items (the last page's extra items are dropped).
    public var limit: Int?
    /// Stop after this many pages.
    public var maxPages: Int

    /// Creates a pagination.
    public init(strategy: Strategy, items: @escaping @Sendable (HTTPResult) throws -> [JSONValue] = Pagination.bodyItems,
                limit: Int? = nil, maxPages: Int = 100) {
        self.strategy = strategy
        self.items = items
        self.limit = limit
        self.maxPages = max(1, maxPages)
    }

    /// The default items of a page: an array body's elements, nothing for an empty body, else the body.
    public static let bodyItems: @Sendable (HTTPResult) throws -> [JSONValue] = { result in
        switch result.body {
        case .array(let items)?: return items
        case nil, .null?: return []
        case let body?: return [body]
        }
    }
}

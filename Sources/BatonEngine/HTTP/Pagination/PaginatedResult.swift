import JSONata

/// The pages of a paginated call and the items collected from them.
public struct PaginatedResult: Sendable {
    /// Every page's response, in order.
    public var pages: [HTTPResult]
    /// The items collected, at most `limit`.
    public var items: [JSONValue]
    /// Why the collection stopped: `end` (no next page), `limit` or `max_pages`.
    public var stopReason: String

    /// The step output: `{status, headers, body: [items], pages, stopped}` with the last page's
    /// status and headers.
    public var output: JSONValue {
        let last = pages.last
        return ["status": .number(Double(last?.status ?? 0)), "headers": last?.headersValue ?? [:],
                "body": .array(items), "pages": .number(Double(pages.count)), "stopped": .string(stopReason)]
    }
}

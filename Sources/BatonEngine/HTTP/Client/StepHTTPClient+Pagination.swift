import JSONata

extension StepHTTPClient {
    /// Performs `call` and follows its pages by `pagination`, each page an attempt of its own
    /// (same auth, expectation and idempotency key). Bounded by `limit` and `maxPages`; a next
    /// link or cursor that repeats the previous one ends the walk, so a broken API cannot loop.
    public func performPaginated(_ call: HTTPCall, pagination: Pagination) async throws -> PaginatedResult {
        var pages: [HTTPResult] = []
        var items: [JSONValue] = []
        var current = call
        var seen: Set<String> = [call.request.url]
        var pageNumber: Int
        if case .page(let parameter, let start) = pagination.strategy {
            pageNumber = start
            current.request.url = URLQuery.setting(parameter, to: String(start), in: call.request.url)
        } else {
            pageNumber = 0
        }
        while true {
            try Task.checkCancellation()
            let result = try await perform(current)
            pages.append(result)
            let pageItems: [JSONValue]
            do {
                pageItems = try pagination.items(result)
            } catch {
                throw StepCallError(.invalidResponse, message: "cannot read the items of page \(pages.count) of \(call.request.method) \(current.request.url): \(error); check the paginate 'items' expression",
                                    method: call.request.method, url: current.request.url)
            }
            items.append(contentsOf: pageItems)
            if let limit = pagination.limit, items.count >= limit {
                items.removeLast(items.count - limit)
                return PaginatedResult(pages: pages, items: items, stopReason: "limit")
            }
            let nextURL: String?
            switch pagination.strategy {
            case .link:
                let links = result.headers.filter { $0.0.equalsIgnoringCase("Link") }.map(\.1)
                nextURL = LinkHeader.next(in: links, base: current.request.url)
            case .cursor(let parameter, let next):
                let cursor: String?
                do { cursor = try next(result) } catch {
                    throw StepCallError(.invalidResponse, message: "cannot read the next cursor from page \(pages.count) of \(call.request.method) \(current.request.url): \(error); check the paginate 'cursor' expression",
                                        method: call.request.method, url: current.request.url)
                }
                nextURL = cursor.flatMap { $0.isEmpty ? nil : URLQuery.setting(parameter, to: $0, in: call.request.url) }
            case .page(let parameter, _):
                pageNumber += 1
                nextURL = pageItems.isEmpty ? nil : URLQuery.setting(parameter, to: String(pageNumber), in: call.request.url)
            }
            guard let nextURL, seen.insert(nextURL).inserted else {
                return PaginatedResult(pages: pages, items: items, stopReason: "end")
            }
            if pages.count >= pagination.maxPages {
                return PaginatedResult(pages: pages, items: items, stopReason: "max_pages")
            }
            current.request.url = nextURL
            // A page request is a GET of the next URL, whatever the first request's body was.
            if case .link = pagination.strategy {
                current.request.body = nil
                current.request.method = "GET"
            }
        }
    }
}

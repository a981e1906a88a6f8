import Hummingbird
import JSONata
import Testing
@testable import BatonEngine

/// Following pages by Link header, cursor and page number, with limits.
@Suite struct PaginationTests {
    /// 25 items, 10 per page.
    static let all = (1...25).map { JSONValue.number(Double($0)) }

    static func page(_ n: Int) -> [JSONValue] {
        Array(all.dropFirst((n - 1) * 10).prefix(10))
    }

    @Test func followsLinkHeaderUntilTheLastPage() async throws {
        try await withTestServer({ router, _ in
            router.get("/users") { request, _ in
                let n = request.uri.queryParameters.get("page").flatMap(Int.init) ?? 1
                var headers: [(String, String)] = []
                if n < 3 {
                    // Relative next link and a `last` link first, as GitHub sends them.
                    headers.append(("Link", #"<https://elsewhere.invalid/users?page=3>; rel="last", </users?page=\#(n + 1)&per_page=10>; rel="next""#))
                }
                return reply(.ok, JSONValue.array(Self.page(n)).serialized(), headers: headers)
            }
        }) { base, log, client in
            let result = try await client.performPaginated(HTTPCall(request: PreparedRequest(url: base + "/users"),
                                                                    idempotencyKey: "k"),
                                                           pagination: Pagination(strategy: .link))
            #expect(result.items == Self.all)
            #expect(result.pages.count == 3)
            #expect(result.stopReason == "end")
            #expect(log.all.map(\.query) == ["", "page=2&per_page=10", "page=3&per_page=10"])
            #expect(log.all.allSatisfy { $0.header("Idempotency-Key") == "k" })
            #expect(result.output["pages"] == 3)
            #expect(result.output["body"]?[24] == 25)
        }
    }

    @Test func cursorFromTheBodyWithItemsExpressionAndLimit() async throws {
        try await withTestServer({ router, _ in
            router.get("/events") { request, _ in
                let cursor = request.uri.queryParameters.get("after").flatMap(Int.init) ?? 1
                let next: JSONValue = cursor < 3 ? .string(String(cursor + 1)) : .null
                let body: JSONValue = ["data": .array(Self.page(cursor)), "next_cursor": next]
                return reply(.ok, body.serialized())
            }
        }) { base, log, client in
            let pagination = Pagination(strategy: .cursor(parameter: "after", next: { $0.body?["next_cursor"]?.stringValue }),
                                        items: { result in
                                            guard case .array(let items)? = result.body?["data"] else { return [] }
                                            return items
                                        },
                                        limit: 15)
            let result = try await client.performPaginated(
                HTTPCall(request: PreparedRequest(url: base + "/events", query: [("kind", "push")])), pagination: pagination)
            #expect(result.items == Array(Self.all.prefix(15)))
            #expect(result.stopReason == "limit")
            #expect(log.all.map(\.query) == ["kind=push", "kind=push&after=2"])
        }
    }

    @Test func pageNumbersUntilAnEmptyPageOrMaxPages() async throws {
        try await withTestServer({ router, _ in
            router.get("/orders") { request, _ in
                let n = request.uri.queryParameters.get("p").flatMap(Int.init) ?? 1
                return reply(.ok, JSONValue.array(Self.page(n)).serialized())
            }
        }) { base, log, client in
            let result = try await client.performPaginated(HTTPCall(request: PreparedRequest(url: base + "/orders")),
                                                           pagination: Pagination(strategy: .page(parameter: "p")))
            #expect(result.items == Self.all)
            #expect(result.stopReason == "end")
            #expect(log.all.map(\.query) == ["p=1", "p=2", "p=3", "p=4"])

            let capped = try await client.performPaginated(HTTPCall(request: PreparedRequest(url: base + "/orders")),
                                                           pagination: Pagination(strategy: .page(parameter: "p"), maxPages: 2))
            #expect(capped.items.count == 20)
            #expect(capped.stopReason == "max_pages")
        }
    }

    @Test func aCursorThatRepeatsStopsTheWalk() async throws {
        try await withTestServer({ router, _ in
            router.get("/stuck") { _, _ in reply(.ok, #"{"items":[1],"next":"same"}"#) }
        }) { base, log, client in
            let result = try await client.performPaginated(
                HTTPCall(request: PreparedRequest(url: base + "/stuck")),
                pagination: Pagination(strategy: .cursor(parameter: "c", next: { $0.body?["next"]?.stringValue }),
                                       items: { _ in [1] }))
            #expect(result.pages.count == 2)
            #expect(log.all.count == 2)
        }
    }

    @Test func linkHeaderParsing() {
        let links = LinkHeader.parse([#"<https://a.example/x?page=2>; rel="next last"; title="a, b", <https://a.example/x?page=1>;rel=prev"#])
        #expect(links.count == 2)
        #expect(links[0].relations == ["next", "last"])
        #expect(links[0].parameters["title"] == "a, b")
        #expect(links[1].relations == ["prev"])
        #expect(LinkHeader.next(in: [#"</x?page=2>; rel="next""#], base: "https://a.example/api/x") == "https://a.example/x?page=2")
        #expect(LinkHeader.next(in: [#"<x?page=2>; rel="NEXT""#], base: "https://a.example/api/x?page=1") == "https://a.example/api/x?page=2")
        #expect(LinkHeader.next(in: [#"<https://a.example/x?page=9>; rel="last""#], base: "https://a.example/") == nil)
    }
}

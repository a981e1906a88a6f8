import BatonStore
import Foundation
import Hummingbird
import JSONata
import Testing

/// Poll triggers against a real feed API on 127.0.0.1.
@Suite(.timeLimit(.minutes(2)))
struct PollServerTests {
    static func workflow(feed: String, fireOnStart: Bool = false) -> String {
        """
        name: new-orders
        connections:
          feed:
            base_url: \(feed)
            auth:
              bearer: ${{ secrets.FEED_TOKEN }}
        triggers:
          - poll:
              every: 1s
              http:
                connection: feed
                url: /orders
              items: ${{ response.body.orders }}
              key: ${{ item.id }}
              fire_on_start: \(fireOnStart)
        steps:
          - id: seen
            transform: ${{ trigger.item.id & ":" & trigger.item.total }}
        """
    }

    @Test func pollingStartsExactlyOneRunPerNewItem() async throws {
        let feed = FeedServer(orders: [["id": "o1", "total": 5], ["id": "o2", "total": 7]])
        try await feed.start()
        defer { feed.stop() }
        let server = try ServerHarness(environment: ["BATON_SECRET_FEED_TOKEN": "feed-secret"])
        defer { server.remove() }
        try server.write("orders.yaml", Self.workflow(feed: feed.url))
        try await server.start()

        // The first poll records what exists and starts nothing.
        try await server.eventually { try await server.store.pollState(key: "new-orders#0") != nil }
        #expect(try await server.runs(of: "new-orders").isEmpty)
        #expect(feed.authorizations.allSatisfy { $0 == "Bearer feed-secret" })

        feed.set(orders: [["id": "o3", "total": 9], ["id": "o1", "total": 5], ["id": "o2", "total": 7], ["id": "o4", "total": 1]])
        try await server.eventually { try await server.runs(of: "new-orders").count == 2 }
        // More polls of the same feed start nothing more.
        let polls = feed.requests
        try await server.eventually(5) { feed.requests >= polls + 2 }
        let runs = try await server.runs(of: "new-orders")
        #expect(runs.count == 2)
        var outputs: [String] = []
        for run in runs { outputs.append(try await server.finished(run.id).output ?? "") }
        #expect(Set(outputs) == [#""o3:9""#, #""o4:1""#])
        await server.stop()
    }

    @Test func fireOnStartRunsForWhatAlreadyExists() async throws {
        let feed = FeedServer(orders: [["id": "a", "total": 1], ["id": "b", "total": 2]])
        try await feed.start()
        defer { feed.stop() }
        let server = try ServerHarness(environment: ["BATON_SECRET_FEED_TOKEN": "x"])
        defer { server.remove() }
        try server.write("orders.yaml", Self.workflow(feed: feed.url, fireOnStart: true))
        try await server.start()
        try await server.eventually { try await server.runs(of: "new-orders").count == 2 }
        #expect(try await server.runs(of: "new-orders").count == 2)
        await server.stop()
    }

    @Test func aFailingFeedIsLoggedAndStartsNothing() async throws {
        let feed = FeedServer(orders: [])
        feed.failing = true
        try await feed.start()
        defer { feed.stop() }
        let server = try ServerHarness(environment: ["BATON_SECRET_FEED_TOKEN": "x"])
        defer { server.remove() }
        try server.write("orders.yaml", Self.workflow(feed: feed.url, fireOnStart: true))
        try await server.start()
        try await server.eventually { server.logs.text.contains("poll of workflow 'new-orders' failed") }
        #expect(server.logs.text.contains("500"))
        #expect(try await server.runs(of: "new-orders").isEmpty)
        await server.stop()
    }
}

/// A feed API answering `GET /orders` with `{orders: [...]}`.
final class FeedServer: @unchecked Sendable {
    private let lock = NSLock()
    private var orders: [[String: Any]]
    private var seenAuthorizations: [String] = []
    private var count = 0
    var failing = false
    private var task: Task<Void, any Error>?
    private(set) var url = ""

    init(orders: [[String: Any]]) { self.orders = orders }

    func set(orders: [[String: Any]]) { lock.withLock { self.orders = orders } }
    var requests: Int { lock.withLock { count } }
    var authorizations: [String] { lock.withLock { seenAuthorizations } }

    func start() async throws {
        let router = Router()
        router.get("orders") { request, _ -> Response in
            let (body, failing) = self.lock.withLock { () -> (Data, Bool) in
                self.count += 1
                self.seenAuthorizations.append(request.headers[.authorization] ?? "")
                return ((try? JSONSerialization.data(withJSONObject: ["orders": self.orders])) ?? Data(), self.failing)
            }
            if failing { return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: #"{"error":"down"}"#))) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
        task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = stream.makeAsyncIterator()
        url = "http://127.0.0.1:\(await iterator.next() ?? 0)"
    }

    func stop() { task?.cancel() }
}

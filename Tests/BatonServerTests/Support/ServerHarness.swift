import AsyncHTTPClient
import BatonCore
import BatonEngine
import BatonServer
import BatonStore
import Foundation
import JSONata
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Testing

/// A real `BatonServer` on 127.0.0.1 (a free port) over a real SQLite file and a workflows
/// folder in a temporary directory; requests go through a real HTTP client.
final class ServerHarness: @unchecked Sendable {
    let directory: URL
    let workflows: URL
    let dbPath: String
    let clock: OffsetClock
    let logs = LogCapture()
    let token = "test-token-\(UUID().uuidString.prefix(8))"
    var environment: [String: String]
    private(set) var store: SQLiteRunStore!
    private(set) var url = ""
    private var group: ServiceGroup?
    private var task: Task<Void, any Error>?

    init(environment: [String: String] = [:], clock: OffsetClock = OffsetClock()) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-server-\(UUID().uuidString)")
        workflows = directory.appendingPathComponent("Workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        dbPath = directory.appendingPathComponent("baton.sqlite").path
        self.environment = environment
        self.clock = clock
    }

    /// Writes a workflow file into the served folder.
    func write(_ name: String, _ yaml: String) throws {
        try yaml.write(to: workflows.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Starts the server and waits until it listens.
    func start(configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        try await startOn(database: dbPath, configure: configure)
    }

    /// Starts the server on another harness's database (a second process sharing it).
    func startOn(database: String, configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        store = try SQLiteRunStore(path: database)
        var configuration = ServerConfiguration(port: 0, workflowsDirectory: workflows.path, reloadInterval: .milliseconds(100),
                                                gracePeriod: .seconds(5), apiToken: token)
        configure(&configuration)
        let listening = AsyncStream.makeStream(of: String.self)
        var logger = Logger(label: "baton-test") { _ in self.logs }
        logger.logLevel = .debug
        let server = BatonServer(configuration: configuration, store: store, environment: RunEnvironment(process: environment),
                                 httpClient: HTTPClient.shared, clock: clock, logger: logger,
                                 onListening: { url in listening.continuation.yield(url) })
        let services = try await server.makeServices()
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: logger))
        self.group = group
        task = Task { try await group.run() }
        var iterator = listening.stream.makeAsyncIterator()
        url = await iterator.next() ?? ""
    }

    /// Stops the server gracefully and waits for it.
    func stop() async {
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
        group = nil
        task = nil
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    // MARK: Requests

    struct Reply: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var text: String
        var json: JSONValue? { try? JSONValue(parsing: text) }
    }

    /// Sends a request to the server.
    func send(_ method: HTTPMethod, _ path: String, body: String? = nil, headers: [(String, String)] = [],
              authorized: Bool = false) async throws -> Reply {
        var request = HTTPClientRequest(url: url + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if authorized { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: buffer))
    }

    // MARK: Waiting, always bounded

    /// Polls `condition` every 50 ms for at most `seconds`; returns its last value.
    @discardableResult
    func eventually(_ seconds: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    /// The runs of `workflow`, oldest first.
    func runs(of workflow: String? = nil) async throws -> [Run] {
        try await store.listRuns(filter: RunFilter(workflowName: workflow), limit: 500, after: nil).runs.reversed()
    }

    /// Waits until run `id` ends (at most `seconds`) and returns it.
    func finished(_ id: String, within seconds: Double = 15) async throws -> Run {
        try await eventually(seconds) { try await store.run(id: id)?.status.isTerminal ?? false }
        return try #require(try await store.run(id: id))
    }
}

/// Real time plus an offset a test moves forward; sleeps are real (and short in the server).
final class OffsetClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0

    init(offset: TimeInterval = 0) { self.offset = offset }

    func now() -> Date { Date().addingTimeInterval(lock.withLock { offset }) }
    func advance(by seconds: TimeInterval) { lock.withLock { offset += seconds } }
    func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

/// Keeps log lines in memory, for tests that check what the server said.
final class LogCapture: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var storedLines: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let extra = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lock.withLock { storedLines.append("\(event.level) \(event.message)\(extra.isEmpty ? "" : " " + extra)") }
    }

    var lines: [String] { lock.withLock { storedLines } }
    var text: String { lines.joined(separator: "\n") }
}

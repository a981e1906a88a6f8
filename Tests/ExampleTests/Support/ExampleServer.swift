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

/// `baton serve` in the test process, serving an example's real workflow files: a real
/// `BatonServer` on 127.0.0.1 (a free port), a real SQLite file in a temporary folder, a real
/// HTTP client, and a clock the test can move forward (schedules, `wait: until`, polls).
final class ExampleServer: @unchecked Sendable {
    let directory: URL
    let workflows: URL
    let clock: ShiftedClock
    let logs = LogLines()
    let token = "example-token"
    private let environment: [String: String]
    private(set) var store: SQLiteRunStore!
    private(set) var url = ""
    private var group: ServiceGroup?
    private var task: Task<Void, any Error>?

    /// Copies `files` of `Examples/example/` into a fresh workflows folder.
    ///
    /// - Parameter environment: the process environment the server sees (`BATON_SECRET_*` are secrets).
    init(example: String, files: [String], environment: [String: String], clock: ShiftedClock = ShiftedClock()) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-example-\(UUID().uuidString)")
        workflows = directory.appendingPathComponent("Workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        for file in files {
            try FileManager.default.copyItem(at: Repository.example(example, file), to: workflows.appendingPathComponent(file))
        }
        self.environment = environment
        self.clock = clock
    }

    /// Starts the server and waits until it listens.
    func start() async throws {
        store = try SQLiteRunStore(path: directory.appendingPathComponent("baton.sqlite").path)
        let configuration = ServerConfiguration(port: 0, workflowsDirectory: workflows.path, reloadInterval: .milliseconds(200),
                                                gracePeriod: .seconds(5), apiToken: token)
        let listening = AsyncStream.makeStream(of: String.self)
        var logger = Logger(label: "baton-example") { _ in self.logs }
        logger.logLevel = .info
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

    /// Stops the server gracefully and removes its folder.
    func stop() async {
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Requests

    /// What the server answered, and how long it took.
    struct Reply: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var text: String
        var elapsed: Duration
        var json: JSONValue? { try? JSONValue(parsing: text) }
    }

    /// Sends a POST with `body` to `path`, as a webhook sender would.
    func post(_ path: String, body: String, headers: [(String, String)]) async throws -> Reply {
        var request = HTTPClientRequest(url: url + path)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let start = ContinuousClock.now
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: buffer),
                     elapsed: ContinuousClock.now - start)
    }

    // MARK: Runs, waited for with a bound

    /// Polls `condition` every 50 ms for at most `seconds`; returns its last value.
    @discardableResult
    func eventually(_ seconds: Double = 20, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    /// The runs of `workflow`, oldest first.
    func runs(of workflow: String) async throws -> [Run] {
        try await store.listRuns(filter: RunFilter(workflowName: workflow), limit: 500, after: nil).runs.reversed()
    }

    /// Waits (at most `seconds`) until `count` runs of `workflow` have ended, and returns them.
    func finishedRuns(of workflow: String, count: Int, within seconds: Double = 30) async throws -> [Run] {
        try await eventually(seconds) { try await runs(of: workflow).filter(\.status.isTerminal).count >= count }
        return try await runs(of: workflow).filter(\.status.isTerminal)
    }

    /// Waits until run `id` has ended (at most `seconds`) and returns it.
    func finished(_ id: String, within seconds: Double = 30) async throws -> Run {
        try await eventually(seconds) { try await store.run(id: id)?.status.isTerminal ?? false }
        return try #require(try await store.run(id: id))
    }

    /// The run's output, parsed.
    func output(of run: Run) -> JSONValue? {
        run.output.flatMap { try? JSONValue(parsing: $0) }
    }

    /// The stored executions of the run's steps, by step id (for_each items under `id[index]`).
    func steps(of run: Run) async throws -> [String: StepExecution] {
        var byKey: [String: StepExecution] = [:]
        for step in try await store.steps(runID: run.id) {
            byKey[step.key.item.map { "\(step.key.stepID)[\($0)]" } ?? step.key.stepID] = step
        }
        return byKey
    }
}

extension ExampleServer {
    /// Starts the server, runs `body`, and stops the server, also when `body` throws.
    func serving(_ body: () async throws -> Void) async throws {
        try await start()
        do {
            try await body()
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    /// Waits (at most `seconds`) until the schedule or poll `index` of `workflow` has its
    /// stored state: from then on, moving the clock makes its next slot or poll come due.
    func triggerRegistered(_ workflow: String, index: Int = 0, seconds: Double = 10) async throws -> Bool {
        try await eventually(seconds) {
            let key = "\(workflow)#\(index)"
            if try await store.scheduleState(key: key) != nil { return true }
            return try await store.pollState(key: key) != nil
        }
    }
}

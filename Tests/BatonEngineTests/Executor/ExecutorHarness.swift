import BatonCore
import BatonStore
import Foundation
import JSONata
@testable import BatonEngine

/// A real SQLite store in a temporary folder, a worker, and helpers to start and finish runs.
struct ExecutorHarness {
    let directory: URL
    let store: SQLiteRunStore
    let clock: TestClock
    var environment: RunEnvironment
    var remote: any RemoteCalls
    var reports = ReportLog()
    var workflows: [String: Workflow] = [:]
    /// Waits up to this long run in process instead of parking the run.
    var inProcessWaitLimit: Duration = .seconds(2)

    init(environment: RunEnvironment = RunEnvironment(), remote: any RemoteCalls = UnusedRemoteCalls()) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteRunStore(path: directory.appendingPathComponent("baton.sqlite").path)
        clock = TestClock()
        self.environment = environment
        self.remote = remote
    }

    func dependencies(owner: String = "test-worker") -> ExecutorDependencies {
        let log = reports
        let known = workflows
        return ExecutorDependencies(store: store, remote: remote, clock: clock, environment: environment, owner: owner,
                                    leaseDuration: .seconds(30), inProcessWaitLimit: inProcessWaitLimit, random: { 0.5 },
                                    observer: { log.append($0) }, resolveWorkflow: { known[$0] })
    }

    /// Loads a workflow from YAML text, failing loudly on diagnostics.
    static func workflow(_ yaml: String, file: String = "test.yaml") throws -> Workflow {
        let result = WorkflowLoader.load(text: yaml, file: file)
        guard let workflow = result.workflow else { throw WorkflowError(diagnostics: result.diagnostics) }
        return workflow
    }

    /// Creates a queued run of `workflow`.
    func start(_ workflow: Workflow, trigger: JSONValue = [:], inputs: JSONValue = [:]) async throws -> Run {
        let version = try await dependencies().catalog.save(workflow, now: clock.now())
        let result = try await store.createRun(NewRun(workflowVersionID: version, triggerKind: .manual,
                                                      triggerPayload: trigger.serialized(), inputs: inputs.serialized()),
                                               now: clock.now())
        return result.run
    }

    /// Works until `run` is finished or parked (bounded by `limit`).
    func work(until run: Run, statuses: Set<RunStatus> = [.succeeded, .failed, .cancelled], limit: Duration = .seconds(20),
              owner: String = "test-worker") async throws -> Run {
        let worker = Worker(dependencies: dependencies(owner: owner),
                            configuration: .init(maxConcurrentRuns: 8, pollInterval: .milliseconds(20)))
        let deadline = ContinuousClock.now + limit
        let store = self.store
        try await worker.run {
            guard ContinuousClock.now < deadline else { return true }
            let current = try await store.run(id: run.id)
            return current.map { statuses.contains($0.status) } ?? true
        }
        return try await store.run(id: run.id)!
    }

    func steps(_ run: Run) async throws -> [String: StepExecution] {
        var result: [String: StepExecution] = [:]
        for step in try await store.steps(runID: run.id) { result[step.key.description] = step }
        return result
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// Real time plus an offset the test can move forward (to expire a lease or reach a timer);
/// sleeps are real, so heartbeats and timeouts behave as in production.
final class TestClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0

    func now() -> Date { Date().addingTimeInterval(lock.withLock { offset }) }

    func advance(by seconds: TimeInterval) { lock.withLock { offset += seconds } }

    func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}

/// Collects step reports.
final class ReportLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [StepReport] = []
    func append(_ report: StepReport) { lock.withLock { reports.append(report) } }
    var all: [StepReport] { lock.withLock { reports } }
}

/// For workflows without http, graphql or soap steps: any call is a test failure.
struct UnusedRemoteCalls: RemoteCalls {
    func call(_ step: Step, context: JSONValue, idempotencyKey: String, timeout: Duration,
              workflow: Workflow, secrets: [String]) async -> RemoteCallResult {
        RemoteCallResult(result: .failure(StepFailure(code: "test", message: "this workflow should not call out")))
    }
}

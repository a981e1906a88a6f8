import AsyncHTTPClient
import BatonCore
import BatonEngine
import BatonStore
import Foundation
import JSONata

/// `baton runs ... --db FILE`: reads and changes the database directly; a retry or replay
/// executes in this process, like `baton run`.
struct LocalRunsSource: RunsSource {
    let store: SQLiteRunStore
    let database: DatabaseOptions
    let workflows: String

    private var operations: RunOperations {
        RunOperations(store: store, catalog: WorkflowCatalog(store: store))
    }

    func list(_ parameters: [(String, String)]) async throws -> JSONValue {
        let query: RunQuery
        do {
            query = try RunQuery.parse(parameters, purpose: .list, now: Date())
        } catch {
            throw RunsFailure(exitCode: 2, error.messages)
        }
        let page = try await reading { try await store.listRuns(filter: query.filter, limit: query.limit ?? RunQuery.defaultLimit, after: query.cursor) }
        return ["runs": .array(page.runs.map { RunSummary.json($0) }), "next_cursor": page.next.map { .string($0.description) } ?? .null]
    }

    func show(_ id: String) async throws -> JSONValue {
        guard let run = try await reading({ try await store.run(id: id) }) else {
            throw RunsFailure("no run with id '\(id)' in \(store.path); list them with 'baton runs list'")
        }
        return try await reading {
            RunDetail.json(run: run, steps: try await store.steps(runID: id), attempts: try await store.attempts(runID: id),
                           lineage: try await store.lineage(runID: id))
        }
    }

    func retry(_ id: String) async throws -> (runID: String, created: Bool) {
        let result = try await operating { try await operations.retry(runID: id) }
        return (result.run.id, result.isCreated)
    }

    func replay(_ id: String, version: RunOperations.ReplayVersion) async throws -> String {
        try await operating { try await operations.replay(runID: id, version: version).id }
    }

    func cancel(_ id: String) async throws -> JSONValue {
        RunSummary.json(try await operating { try await operations.cancel(runID: id, reason: "cancelled with baton runs cancel") })
    }

    func export(_ parameters: [(String, String)], format: RunExport.Format, to output: FileHandle) async throws -> Int? {
        let query: RunQuery
        do {
            query = try RunQuery.parse(parameters, purpose: .export, now: Date())
        } catch {
            throw RunsFailure(exitCode: 2, error.messages)
        }
        output.write(Data(RunExport.header(format).utf8))
        return try await reading {
            try await RunExport.forEachBatch(in: store, filter: query.filter, limit: query.limit) { runs in
                var text = ""
                for run in runs { text += RunExport.line(run, format) }
                output.write(Data(text.utf8))
            }
        }
    }

    func prune(olderThan: Duration) async throws -> JSONValue {
        let cutoff = Date().addingTimeInterval(-(Double(olderThan.components.seconds) + Double(olderThan.components.attoseconds) / 1e18))
        let result = try await operating { try await operations.prune(finishedBefore: cutoff) }
        return [
            "deleted": .number(Double(result.deleted)), "cutoff": .string(ISO8601Time.format(result.cutoff)),
            "bytes_before": result.space.bytesBefore.map { .number(Double($0)) } ?? .null,
            "bytes_after": result.space.bytesAfter.map { .number(Double($0)) } ?? .null,
        ]
    }

    func follow(_ runID: String, progress: Bool) async throws -> JSONValue {
        let directories = [workflows]
        let dependencies = ExecutorDependencies(
            store: store, remote: HTTPStepCalls(client: StepHTTPClient(client: HTTPClient.shared)),
            environment: try await database.runEnvironment(store),
            owner: "baton-runs-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))",
            observer: { report in
                guard progress, report.runID == runID else { return }
                printError(RunCommand.progressLine(report))
            },
            resolveWorkflow: { name in RunCommand.findWorkflow(named: name, in: directories) })
        // The worker claims the queued run (and, like `baton run`, may take other queued runs of
        // this file, which it gives back when this one ends).
        try await Worker(dependencies: dependencies).run {
            try await store.run(id: runID)?.status.isTerminal ?? true
        }
        return try await show(runID)
    }

    private func reading<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let failure as RunsFailure {
            throw failure
        } catch {
            throw RunsFailure("cannot read \(store.path): \(error)")
        }
    }

    private func operating<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let refused as RunOperationError {
            throw refused.failure
        }
    }
}

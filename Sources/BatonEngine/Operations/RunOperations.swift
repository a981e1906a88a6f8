import BatonCore
import BatonStore
import Foundation
import JSONata

/// What people do to runs after the fact: retry a failed run, replay any run, cancel one that
/// has not finished, and prune old ones. The REST API, the dashboard and `baton runs` all
/// call these, so they behave the same everywhere.
///
/// Retry and replay never change the original run: each makes a new run whose origin is
/// recorded (``RunStore/lineage(runID:)``), so the failed run's audit trail stays as it was.
/// The new run is `queued`; whoever holds a worker (the server, `baton runs retry`) runs it.
public struct RunOperations: Sendable {
    /// Which workflow version a replay runs.
    public enum ReplayVersion: String, Sendable, Hashable, CaseIterable {
        /// The version currently served (or, without a server, the latest one saved).
        case current
        /// The exact version the original run executed.
        case original
    }

    /// What a prune deleted and gave back.
    public struct PruneResult: Sendable, Hashable {
        /// How many runs were deleted, with their steps and attempts.
        public var deleted: Int
        /// Runs that finished before this time were deleted.
        public var cutoff: Date
        /// The store's size before and after.
        public var space: SpaceReclaimed
    }

    /// The runs.
    public let store: any RunStore
    /// Loads the workflow version a run executed.
    public let catalog: WorkflowCatalog
    /// The time source.
    public let clock: any WallClock
    private let currentVersion: @Sendable (String) async throws -> Int64?

    /// Creates the operations over `store`.
    ///
    /// - Parameter currentVersion: the version id of the workflow with this name that a replay
    ///   runs by default (a server passes the version it serves); `nil` uses the latest version
    ///   saved in the store.
    public init(store: any RunStore, catalog: WorkflowCatalog, clock: any WallClock = SystemWallClock(),
                currentVersion: (@Sendable (String) async throws -> Int64?)? = nil) {
        self.store = store
        self.catalog = catalog
        self.clock = clock
        self.currentVersion = currentVersion ?? { name in try await store.latestWorkflowVersion(named: name)?.id }
    }

    // MARK: Retry

    /// Continues a failed (or cancelled) run from the steps that did not succeed: a new run of
    /// kind `retry` on the same workflow version, with the same trigger payload and inputs,
    /// that starts with copies of the original's succeeded steps and so does not run them again.
    ///
    /// Retrying a run whose earlier retry is still queued, running, waiting or succeeded returns
    /// that retry (`.duplicate`) instead of starting another; two retries at once make one run.
    ///
    /// - Throws: ``RunOperationError`` (`run_not_found`, `not_retryable`, `workflow_version`, `store`).
    public func retry(runID: String) async throws -> CreateRunResult {
        let original = try await existingRun(runID)
        guard original.status == .failed || original.status == .cancelled else {
            throw RunOperationError(
                .conflict, code: "not_retryable",
                "run \(runID) is \(original.status); only a failed or cancelled run can be retried (replay runs any run again from the start)")
        }
        let workflow = try await workflow(version: original.workflowVersionID, of: original)
        let earlier = try await attempt("reading the retries of run \(runID)") {
            try await store.lineage(runID: runID).derived.filter { $0.kind == .retry }
        }
        for origin in earlier.reversed() {
            if let retry = try await attempt("reading run \(origin.runID)", { try await store.run(id: origin.runID) }),
               retry.status != .failed, retry.status != .cancelled {
                return .duplicate(retry)
            }
        }
        // Numbered per retry: two clicks at once compute the same key and the store keeps one run.
        let new = NewRun(workflowVersionID: original.workflowVersionID, triggerKind: .retry,
                         triggerPayload: original.triggerPayload, inputs: original.inputs,
                         idempotencyKey: "retry:\(original.id):\(earlier.count + 1)")
        let stored = try await attempt("reading the steps of run \(runID)") { try await store.steps(runID: runID) }
        let carried = Self.carriedSteps(of: workflow, succeeded: Set(stored.filter { $0.key.item == nil && $0.status == .succeeded }.map(\.key.stepID)))
        return try await attempt("storing the retry of run \(runID)") {
            try await store.createDerivedRun(new, from: original.id, kind: .retry, carrying: carried, now: clock.now())
        }
    }

    /// The steps a retry keeps: main steps (not `on_failure` ones, which belong to the failure
    /// being retried) that succeeded and whose dependencies are all kept too. A step that
    /// succeeded after a failed `on_error: continue` step saw that failure, so it runs again
    /// with the retried step's new result instead of keeping an output made from the failure.
    /// A `for_each` step that did not finish keeps its finished items (the store copies them).
    static func carriedSteps(of workflow: Workflow, succeeded: Set<String>) -> Set<String> {
        var carried = Set<String>()
        var changed = true
        // Dependencies may be declared after their dependants (`needs`): iterate to a fixed point.
        while changed {
            changed = false
            for step in workflow.steps where !carried.contains(step.id) && succeeded.contains(step.id) {
                if step.dependencies.allSatisfy(carried.contains) {
                    carried.insert(step.id)
                    changed = true
                }
            }
        }
        // Items of unfinished for_each steps whose dependencies are kept still carry over.
        for step in workflow.steps where step.forEach != nil && !succeeded.contains(step.id) {
            if step.dependencies.allSatisfy(carried.contains) { carried.insert(step.id) }
        }
        return carried
    }

    // MARK: Replay

    /// Runs again from the start with the original's trigger payload and inputs, on the
    /// current version of its workflow (or the original version); the inputs are checked
    /// against that version. A replay keeps the original's trigger kind (a retry's replay
    /// takes the kind of the run it retried).
    ///
    /// - Throws: ``RunOperationError`` (`run_not_found`, `no_current_version`, `inputs`, `workflow_version`, `store`).
    public func replay(runID: String, version: ReplayVersion = .current) async throws -> Run {
        let original = try await existingRun(runID)
        let versionID: Int64
        switch version {
        case .original:
            versionID = original.workflowVersionID
        case .current:
            guard let current = try await attempt("finding the current version of '\(original.workflowName)'", {
                try await currentVersion(original.workflowName)
            }) else {
                throw RunOperationError(
                    .conflict, code: "no_current_version",
                    "workflow '\(original.workflowName)' has no current version (it is not served); replay run \(runID) on its original version (?version=original, or --original)")
            }
            versionID = current
        }
        let workflow = try await workflow(version: versionID, of: original)
        let inputs: JSONValue
        do {
            let given = try original.inputs.map { try JSONValue(parsing: $0) }
            inputs = try RunInputs.resolve(given, for: workflow)
        } catch let problems as RunInputs.Problems {
            throw RunOperationError(
                .conflict, code: "inputs",
                "the inputs of run \(runID) do not fit version \(versionID) of workflow '\(workflow.name)'; replay it on its original version",
                problems: problems.messages)
        } catch {
            throw RunOperationError(.conflict, code: "inputs", "the stored inputs of run \(runID) are not JSON: \(error)")
        }
        let new = NewRun(workflowVersionID: versionID, triggerKind: try await replayKind(of: original),
                         triggerPayload: original.triggerPayload, inputs: inputs.serialized())
        return try await attempt("storing the replay of run \(runID)") {
            try await store.createDerivedRun(new, from: original.id, kind: .replay, carrying: [], now: clock.now()).run
        }
    }

    /// The trigger kind of the first run up the retry chain that is not a retry (`manual` when it was pruned).
    private func replayKind(of run: Run) async throws -> TriggerKind {
        var current = run
        var hops = 0
        // Bounded: a chain of retries is short, and a damaged one must not loop.
        while current.triggerKind == .retry, hops < 100 {
            hops += 1
            guard let origin = try await attempt("reading the origin of run \(current.id)", {
                try await store.lineage(runID: current.id).origin
            }), let earlier = try await attempt("reading run \(origin.originalRunID)", {
                try await store.run(id: origin.originalRunID)
            }) else { return .manual }
            current = earlier
        }
        return current.triggerKind == .retry ? .manual : current.triggerKind
    }

    // MARK: Cancel

    /// Cancels a queued, running or waiting run; a worker executing it stops at its next
    /// checkpoint or heartbeat. Cancelling a cancelled run returns it unchanged.
    ///
    /// - Throws: ``RunOperationError`` (`run_not_found`, `not_cancellable`, `store`).
    public func cancel(runID: String, reason: String? = nil) async throws -> Run {
        let error: JSONValue = ["code": "cancelled", "message": .string(reason ?? "cancelled by a user")]
        do {
            return try await store.cancelRun(id: runID, reason: error.serialized(), now: clock.now())
        } catch StoreError.notFound {
            throw RunOperationError.runNotFound(runID)
        } catch StoreError.invalidTransition(_, let from, _) {
            throw RunOperationError(
                .conflict, code: "not_cancellable",
                "run \(runID) already \(from); only a queued, running or waiting run can be cancelled")
        } catch {
            throw RunOperationError.store(error, while: "cancelling run \(runID)")
        }
    }

    // MARK: Prune

    /// Deletes every run that finished before `cutoff` (with its steps and attempts), in
    /// transactions of `batchSize` runs so that workers are not held up, then gives the space
    /// back to the file system.
    ///
    /// - Throws: ``RunOperationError`` (`invalid_argument`, `store`).
    public func prune(finishedBefore cutoff: Date, batchSize: Int = 1000) async throws -> PruneResult {
        guard batchSize > 0 else {
            throw RunOperationError(.invalid, code: "invalid_argument", "prune needs a batch size of 1 or more, not \(batchSize)")
        }
        var deleted = 0
        while true {
            let count = try await attempt("pruning runs") { try await store.pruneRuns(finishedBefore: cutoff, limit: batchSize) }
            deleted += count
            if count < batchSize { break }
            try Task.checkCancellation()
        }
        let space = try await attempt("reclaiming the space of pruned runs") { try await store.reclaimSpace() }
        return PruneResult(deleted: deleted, cutoff: cutoff, space: space)
    }

    // MARK: Helpers

    private func existingRun(_ id: String) async throws -> Run {
        guard let run = try await attempt("reading run \(id)", { try await store.run(id: id) }) else {
            throw RunOperationError.runNotFound(id)
        }
        return run
    }

    private func workflow(version: Int64, of run: Run) async throws -> Workflow {
        do {
            return try await catalog.workflow(version: version)
        } catch {
            throw RunOperationError(
                .conflict, code: "workflow_version",
                "version \(version) of workflow '\(run.workflowName)' cannot be loaded for run \(run.id): \(error)")
        }
    }

    /// Runs `body`, turning a store failure into a ``RunOperationError`` that says what was being done.
    private func attempt<T>(_ doing: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw RunOperationError.store(error, while: doing)
        }
    }
}

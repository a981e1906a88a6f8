import BatonStore
import Foundation
import Synchronization

/// A ``RunStore`` that forwards everything to the real store and notes, the moment a commit
/// that ends a run's hold returns (so the change is durable), which run finished or parked.
///
/// Observing the commit itself adds no query and no wake-up to the executor, unlike polling.
final class ObservedStore: RunStore {
    let base: SQLiteRunStore
    let outcomes = RunOutcomes()
    /// How long each durable write (commit, create, claim) took from call to return.
    let writeTimes = DurationLog()

    init(base: SQLiteRunStore) {
        self.base = base
    }

    func commit(_ changes: [RunChange], owner: String, now: Date) async throws {
        let start = ContinuousClock.now
        try await base.commit(changes, owner: owner, now: now)
        let at = ContinuousClock.now
        writeTimes.record(at - start)
        for change in changes {
            switch change {
            case .runFinished(let runID, let status, let output, _):
                outcomes.finished(runID, status: status, output: output, at: at)
            case .runParked(let runID, _):
                outcomes.parked(runID)
            default:
                break
            }
        }
    }

    func saveWorkflowVersion(name: String, hash: String, source: String, now: Date) async throws -> WorkflowVersion {
        try await base.saveWorkflowVersion(name: name, hash: hash, source: source, now: now)
    }

    func workflowVersion(id: Int64) async throws -> WorkflowVersion? { try await base.workflowVersion(id: id) }

    func createRun(_ new: NewRun, now: Date) async throws -> CreateRunResult {
        let start = ContinuousClock.now
        defer { writeTimes.record(ContinuousClock.now - start) }
        return try await base.createRun(new, now: now)
    }

    func createClaimedRun(
        _ new: NewRun, owner: String, leaseDuration: Duration, startingSteps: [StepKey], now: Date
    ) async throws -> CreateRunResult {
        let start = ContinuousClock.now
        defer { writeTimes.record(ContinuousClock.now - start) }
        return try await base.createClaimedRun(new, owner: owner, leaseDuration: leaseDuration, startingSteps: startingSteps, now: now)
    }

    func claimRuns(owner: String, limit: Int, leaseDuration: Duration, now: Date, concurrencyLimits: [String: Int]) async throws -> [Run] {
        let start = ContinuousClock.now
        defer { writeTimes.record(ContinuousClock.now - start) }
        return try await base.claimRuns(owner: owner, limit: limit, leaseDuration: leaseDuration, now: now,
                                        concurrencyLimits: concurrencyLimits)
    }

    func heartbeat(owner: String, runIDs: [String], leaseDuration: Duration, now: Date) async throws -> [String] {
        try await base.heartbeat(owner: owner, runIDs: runIDs, leaseDuration: leaseDuration, now: now)
    }

    func cancelRun(id: String, reason: String?, now: Date) async throws -> Run {
        try await base.cancelRun(id: id, reason: reason, now: now)
    }

    func pruneRuns(finishedBefore cutoff: Date, limit: Int) async throws -> Int {
        try await base.pruneRuns(finishedBefore: cutoff, limit: limit)
    }

    func nextWakeTime() async throws -> Date? { try await base.nextWakeTime() }

    func run(id: String) async throws -> Run? { try await base.run(id: id) }

    func steps(runID: String) async throws -> [StepExecution] { try await base.steps(runID: runID) }

    func attempts(runID: String) async throws -> [Attempt] { try await base.attempts(runID: runID) }

    func listRuns(filter: RunFilter, limit: Int, after cursor: RunCursor?) async throws -> RunPage {
        try await base.listRuns(filter: filter, limit: limit, after: cursor)
    }

    func countRuns(filter: RunFilter) async throws -> Int { try await base.countRuns(filter: filter) }
}

/// How runs ended, as seen by ``ObservedStore``; lets a caller wait for one run's end.
final class RunOutcomes: Sendable {
    /// A run's durable end.
    struct Ending: Sendable {
        var status: RunStatus
        var output: String?
        var at: ContinuousClock.Instant
    }

    private struct State {
        var endings: [String: Ending] = [:]
        var waiters: [String: CheckedContinuation<Ending, Never>] = [:]
        var parked = 0
        var finished = 0
    }

    private let state = Mutex(State())

    func finished(_ runID: String, status: RunStatus, output: String?, at: ContinuousClock.Instant) {
        let ending = Ending(status: status, output: output, at: at)
        let waiter = state.withLock { state -> CheckedContinuation<Ending, Never>? in
            state.finished += 1
            if let waiter = state.waiters.removeValue(forKey: runID) { return waiter }
            state.endings[runID] = ending
            return nil
        }
        waiter?.resume(returning: ending)
    }

    func parked(_ runID: String) {
        state.withLock { $0.parked += 1 }
    }

    var parkedCount: Int { state.withLock { $0.parked } }
    var finishedCount: Int { state.withLock { $0.finished } }

    /// Waits until `runID` finished (returns at once when it already has).
    func ending(of runID: String) async -> Ending {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Ending? in
                if let ending = state.endings.removeValue(forKey: runID) { return ending }
                state.waiters[runID] = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// Durations recorded from many tasks.
final class DurationLog: Sendable {
    private let entries = Mutex<[Duration]>([])

    func record(_ duration: Duration) { entries.withLock { $0.append(duration) } }
    func reset() { entries.withLock { $0.removeAll(keepingCapacity: true) } }
    var all: [Duration] { entries.withLock { $0 } }
}

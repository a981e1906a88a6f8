import Foundation

/// The persistence of the durable executor: workflow versions, runs, step executions,
/// attempts, durable timers and leases.
///
/// Every store driver must pass the shared conformance suite in `BatonStoreTests`.
/// Time always comes from the caller (`now:`), never from the store's own clock.
/// Mutations are durable when they return. Payloads are JSON text, already redacted.
public protocol RunStore: Sendable {
    /// Saves a workflow version, or returns the one already saved with this name and hash.
    func saveWorkflowVersion(name: String, hash: String, source: String, now: Date) async throws -> WorkflowVersion

    /// The workflow version with this id, or `nil`.
    func workflowVersion(id: Int64) async throws -> WorkflowVersion?

    /// Creates a `queued` run, or returns the earlier run when the idempotency key was
    /// already used for the same workflow name; the check and the insert are one transaction.
    func createRun(_ new: NewRun, now: Date) async throws -> CreateRunResult

    /// Creates a run already claimed by `owner` (`running`, leased until `now + leaseDuration`)
    /// in the same transaction, for a process that executes the runs it starts: one durable
    /// write instead of a create and a claim. A duplicate idempotency key returns the earlier
    /// run as it is, unclaimed.
    ///
    /// `startingSteps` are recorded as started in the same transaction (as a `stepStarted`
    /// commit would), so the creator's first steps cost no write of their own.
    func createClaimedRun(
        _ new: NewRun, owner: String, leaseDuration: Duration, startingSteps: [StepKey], now: Date
    ) async throws -> CreateRunResult

    /// Claims up to `limit` runs for `owner`, oldest first: queued runs, running runs whose
    /// lease expired (their worker died), and waiting runs whose timer is due. Each becomes
    /// `running` with a lease until `now + leaseDuration`.
    ///
    /// A workflow named in `concurrencyLimits` never has more runs `running` after the claim
    /// than its limit (nor more than it had, when it was over its limit already): its queued and
    /// due runs beyond the limit stay where they are, while later runs of other workflows are
    /// still claimed. Taking over an expired lease is always allowed, as that run already counts.
    /// Runs of workflows not in the map are unaffected.
    func claimRuns(
        owner: String, limit: Int, leaseDuration: Duration, now: Date, concurrencyLimits: [String: Int]
    ) async throws -> [Run]

    /// Extends `owner`'s leases on `runIDs` to `now + leaseDuration`; returns the ids whose
    /// lease `owner` no longer holds (taken over, released, finished or cancelled).
    func heartbeat(owner: String, runIDs: [String], leaseDuration: Duration, now: Date) async throws -> [String]

    /// Applies a worker's checkpoint atomically and durably. Every change is guarded by the
    /// run's lease (`owner`) and status; concurrent calls share one transaction (group commit)
    /// without sharing failures.
    ///
    /// A lease ends when another worker takes the run over (or it is released, finished or
    /// cancelled), not at the instant it expires: until then its owner may still commit.
    ///
    /// - Throws: ``StoreError/leaseLost(runID:)``, ``StoreError/runCancelled(runID:)``,
    ///   ``StoreError/invalidTransition(runID:from:to:)``,
    ///   ``StoreError/invalidStepTransition(runID:step:from:to:)``; nothing is applied then.
    func commit(_ changes: [RunChange], owner: String, now: Date) async throws

    /// Cancels a queued, running or waiting run and its unfinished steps; returns the run.
    ///
    /// - Throws: ``StoreError/notFound(runID:)``, or ``StoreError/invalidTransition(runID:from:to:)``
    ///   when the run already finished.
    func cancelRun(id: String, reason: String?, now: Date) async throws -> Run

    /// Deletes up to `limit` finished runs (with their steps and attempts) that finished before
    /// `cutoff`, oldest first; returns how many were deleted. Call repeatedly to prune in small transactions.
    func pruneRuns(finishedBefore cutoff: Date, limit: Int) async throws -> Int

    /// The earliest wake time of any waiting run, so a worker can sleep until then.
    func nextWakeTime() async throws -> Date?

    /// The run with this id, or `nil`.
    func run(id: String) async throws -> Run?

    /// The run's step executions in the order they were first recorded.
    func steps(runID: String) async throws -> [StepExecution]

    /// The run's attempts in the order they were first recorded.
    func attempts(runID: String) async throws -> [Attempt]

    /// Runs matching `filter`, newest first, at most `limit`, starting after `cursor`.
    func listRuns(filter: RunFilter, limit: Int, after cursor: RunCursor?) async throws -> RunPage

    /// How many runs match `filter`.
    func countRuns(filter: RunFilter) async throws -> Int

    // MARK: Audit

    /// How many runs of each workflow were created at or after `since`, by workflow name and status
    /// (statuses without runs are absent).
    func runCounts(since: Date) async throws -> [String: [RunStatus: Int]]

    /// The most recently saved version of the workflow named `name`, or `nil` when none was saved.
    func latestWorkflowVersion(named name: String) async throws -> WorkflowVersion?

    /// Creates a `queued` run made from run `originalID` (a retry or a replay of it), in one
    /// transaction with the record of its origin and a copy of the original's `succeeded` step
    /// executions (each `for_each` item included, with their attempts) of the steps named in
    /// `carrying`; the original run is not changed.
    ///
    /// A run created with copied steps counts one claim (``Run/claimCount`` 1), as the original's
    /// execution of them, so that the executor that claims it reads them and skips those steps.
    /// A duplicate idempotency key returns the earlier run and copies nothing.
    ///
    /// - Throws: ``StoreError/notFound(runID:)`` when the original does not exist.
    func createDerivedRun(
        _ new: NewRun, from originalID: String, kind: RunOrigin.Kind, carrying steps: Set<String>, now: Date
    ) async throws -> CreateRunResult

    /// The run that run `runID` was made from, and the runs made from it.
    func lineage(runID: String) async throws -> RunLineage

    /// Gives the space of deleted runs back to the file system (call after ``pruneRuns(finishedBefore:limit:)``).
    func reclaimSpace() async throws -> SpaceReclaimed
}

extension RunStore {
    /// Creates a run already claimed by `owner`, with no step started yet.
    public func createClaimedRun(_ new: NewRun, owner: String, leaseDuration: Duration, now: Date) async throws -> CreateRunResult {
        try await createClaimedRun(new, owner: owner, leaseDuration: leaseDuration, startingSteps: [], now: now)
    }

    /// Claims up to `limit` runs for `owner`, oldest first, without concurrency limits.
    public func claimRuns(owner: String, limit: Int, leaseDuration: Duration, now: Date) async throws -> [Run] {
        try await claimRuns(owner: owner, limit: limit, leaseDuration: leaseDuration, now: now, concurrencyLimits: [:])
    }
}

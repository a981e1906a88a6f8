import Foundation
import GRDB

extension SQLiteRunStore {
    /// Saves a workflow version, or returns the one already saved with this name and hash.
    public func saveWorkflowVersion(name: String, hash: String, source: String, now: Date) async throws -> WorkflowVersion {
        let nowMs = SQLiteValue.millis(now)
        return try await write { db in
            try db.run(
                "INSERT INTO workflow_versions (name, hash, source, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name, hash) DO NOTHING",
                [name, hash, source, nowMs])
            return try db.one(
                WorkflowVersion.self, "SELECT * FROM workflow_versions WHERE name = ? AND hash = ?", [name, hash])!
        }
    }

    /// The workflow version with this id, or `nil`.
    public func workflowVersion(id: Int64) async throws -> WorkflowVersion? {
        try await read { db in
            try db.one(WorkflowVersion.self, "SELECT * FROM workflow_versions WHERE id = ?", [id])
        }
    }

    /// Creates a `queued` run, or returns the earlier run with the same idempotency key.
    public func createRun(_ new: NewRun, now: Date) async throws -> CreateRunResult {
        try await insertRun(new, claim: nil, now: now)
    }

    /// Creates a run already claimed by `owner`, or returns the earlier run with the same key.
    /// `startingSteps` are recorded as started in the same transaction.
    public func createClaimedRun(
        _ new: NewRun, owner: String, leaseDuration: Duration, startingSteps: [StepKey], now: Date
    ) async throws -> CreateRunResult {
        let expiresMs = SQLiteValue.millis(now.addingTimeInterval(StoreTime.seconds(leaseDuration)))
        return try await insertRun(new, claim: (owner, expiresMs), startingSteps: startingSteps, now: now)
    }

    private func insertRun(
        _ new: NewRun, claim: (owner: String, expiresMs: Int64)?, startingSteps: [StepKey] = [], now: Date
    ) async throws -> CreateRunResult {
        let nowMs = SQLiteValue.millis(now)
        let id = new.id ?? RunID.make(now: now)
        return try await write { db in
            let result = try Self.insertRun(new, id: id, claim: claim, nowMs: nowMs, db: db)
            if case .created(let run) = result, let owner = claim?.owner {
                for step in startingSteps {
                    try Self.apply(.stepStarted(runID: run.id, step: step), owner: owner, nowMs: nowMs, db: db)
                }
            }
            return result
        }
    }

    /// Creates a run inside the caller's transaction (``createRun(_:now:)``'s semantics), so that
    /// trigger state and the runs it starts commit together.
    static func insertRun(
        _ new: NewRun, id: String, claim: (owner: String, expiresMs: Int64)?, nowMs: Int64, db: Database
    ) throws -> CreateRunResult {
        guard let name = try String.fetchOne(
            db.cachedStatement(sql: "SELECT name FROM workflow_versions WHERE id = ?"),
            arguments: [new.workflowVersionID])
        else { throw StoreError.workflowVersionNotFound(id: new.workflowVersionID) }
        if let key = new.idempotencyKey,
            let first = try db.one(
                Run.self, "SELECT * FROM runs WHERE workflow_name = ? AND idempotency_key = ?", [name, key])
        {
            return .duplicate(first)
        }
        if new.id != nil, try db.one(Run.self, "SELECT * FROM runs WHERE id = ?", [id]) != nil {
            throw StoreError.duplicateRunID(id)
        }
        let run: Run
        if let claim {
            run = try db.one(
                Run.self,
                """
                INSERT INTO runs (id, workflow_version_id, workflow_name, trigger_kind, trigger_payload,
                    inputs, idempotency_key, status, created_at, updated_at, started_at, lease_owner,
                    lease_expires_at, heartbeat_at, claim_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, 1)
                RETURNING *
                """,
                [id, new.workflowVersionID, name, new.triggerKind.rawValue, new.triggerPayload,
                 new.inputs, new.idempotencyKey, nowMs, nowMs, nowMs, claim.owner, claim.expiresMs, nowMs])!
        } else {
            run = try db.one(
                Run.self,
                """
                INSERT INTO runs (id, workflow_version_id, workflow_name, trigger_kind, trigger_payload,
                    inputs, idempotency_key, status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)
                RETURNING *
                """,
                [id, new.workflowVersionID, name, new.triggerKind.rawValue, new.triggerPayload,
                 new.inputs, new.idempotencyKey, nowMs, nowMs])!
        }
        return .created(run)
    }

    /// Extends `owner`'s leases; returns the ids whose lease `owner` no longer holds.
    public func heartbeat(owner: String, runIDs: [String], leaseDuration: Duration, now: Date) async throws -> [String] {
        guard !runIDs.isEmpty else { return [] }
        let nowMs = SQLiteValue.millis(now)
        let expiresMs = SQLiteValue.millis(now.addingTimeInterval(StoreTime.seconds(leaseDuration)))
        return try await write { db in
            try runIDs.filter { runID in
                try db.change(
                    """
                    UPDATE runs SET lease_expires_at = ?, heartbeat_at = ?
                    WHERE id = ? AND lease_owner = ? AND status = 'running'
                    """,
                    [expiresMs, nowMs, runID, owner]) == 0
            }
        }
    }

    /// Cancels a queued, running or waiting run and its unfinished steps; cancelling a
    /// cancelled run returns it unchanged.
    public func cancelRun(id: String, reason: String?, now: Date) async throws -> Run {
        let nowMs = SQLiteValue.millis(now)
        return try await write { db in
            let cancelled = try db.one(
                Run.self,
                """
                UPDATE runs SET status = 'cancelled', error = ?, finished_at = ?2, updated_at = ?2,
                    lease_owner = NULL, lease_expires_at = NULL, wake_at = NULL
                WHERE id = ?3 AND status IN ('queued', 'running', 'waiting')
                RETURNING *
                """,
                [reason, nowMs, id])
            guard let cancelled else {
                guard let run = try db.one(Run.self, "SELECT * FROM runs WHERE id = ?", [id]) else {
                    throw StoreError.notFound(runID: id)
                }
                if run.status == .cancelled { return run }
                throw StoreError.invalidTransition(runID: id, from: run.status, to: .cancelled)
            }
            try db.run(
                """
                UPDATE step_executions SET status = 'cancelled', finished_at = ?1, updated_at = ?1, wake_at = NULL,
                    awaiting_event = NULL
                WHERE run_id = ?2 AND status IN ('running', 'waiting')
                """,
                [nowMs, id])
            return cancelled
        }
    }

    /// Deletes up to `limit` runs that finished before `cutoff`, oldest first.
    public func pruneRuns(finishedBefore cutoff: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        let cutoffMs = SQLiteValue.millis(cutoff)
        return try await write { db in
            // created_at < cutoff bounds the walk along runs_by_time; the cascade removes steps and attempts.
            try db.change(
                """
                DELETE FROM runs WHERE id IN (
                    SELECT id FROM runs
                    WHERE created_at < ?1 AND finished_at < ?1 AND status IN ('succeeded', 'failed', 'cancelled')
                    ORDER BY created_at, id LIMIT ?2)
                """,
                [cutoffMs, limit])
        }
    }
}

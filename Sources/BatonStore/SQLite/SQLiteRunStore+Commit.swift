import Foundation
import GRDB

extension SQLiteRunStore {
    /// Applies a worker's checkpoint atomically and durably, guarded by its lease; concurrent
    /// calls share one transaction.
    public func commit(_ changes: [RunChange], owner: String, now: Date) async throws {
        guard !changes.isEmpty else { return }
        try Self.validate(changes)
        let nowMs = SQLiteValue.millis(now)
        try await write { db in
            var guarded: Set<String> = []
            for change in changes {
                let runID = change.runID
                if guarded.insert(runID).inserted {
                    try Self.guardLease(runID: runID, owner: owner, target: Self.target(of: change), nowMs: nowMs, db: db)
                }
                try Self.apply(change, owner: owner, nowMs: nowMs, db: db)
            }
        }
    }

    /// Rejects malformed checkpoints before they reach the writer.
    static func validate(_ changes: [RunChange]) throws {
        var ended: Set<String> = []
        for change in changes {
            if ended.contains(change.runID) {
                throw StoreError.invalidArgument(
                    "a change for run \(change.runID) follows the change that ends the worker's hold on it; put runFinished, runParked or leaseReleased last")
            }
            if change.isRunLevel { ended.insert(change.runID) }
            switch change {
            case .stepFinished(_, let step, let status, _, _, _) where !status.isTerminal:
                throw StoreError.invalidArgument(
                    "stepFinished for step \(step) needs a terminal status, not \(status); use stepStarted or stepWaiting")
            case .runFinished(let runID, let status, _, _) where !status.isTerminal:
                throw StoreError.invalidArgument(
                    "runFinished for run \(runID) needs a terminal status, not \(status); use runParked or leaseReleased")
            default:
                break
            }
        }
    }

    /// The run status a change leads to, for error messages.
    static func target(of change: RunChange) -> RunStatus {
        switch change {
        case .runFinished(_, let status, _, _): status
        case .runParked: .waiting
        case .leaseReleased: .queued
        case .stepStarted, .attemptRecorded, .stepWaiting, .stepFinished: .running
        }
    }

    /// Checks that `owner` holds the lease of a running run, or throws the reason it does not.
    static func guardLease(runID: String, owner: String, target: RunStatus, nowMs: Int64, db: Database) throws {
        let held = try db.change(
            "UPDATE runs SET updated_at = ? WHERE id = ? AND lease_owner = ? AND status = 'running'",
            [nowMs, runID, owner])
        guard held == 0 else { return }
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT status, lease_owner FROM runs WHERE id = ?"), arguments: [runID])
        else { throw StoreError.notFound(runID: runID) }
        let status = try SQLiteValue.decode(RunStatus.self, row[0])
        let leaseOwner: String? = row[1]
        if status == .cancelled { throw StoreError.runCancelled(runID: runID) }
        if status.isTerminal { throw StoreError.invalidTransition(runID: runID, from: status, to: target) }
        if leaseOwner != owner { throw StoreError.leaseLost(runID: runID) }
        throw StoreError.invalidTransition(runID: runID, from: status, to: target)
    }

    /// Applies one change whose run's lease was already checked in this savepoint.
    static func apply(_ change: RunChange, owner: String, nowMs: Int64, db: Database) throws {
        switch change {
        case .stepStarted(let runID, let step, let input):
            try upsertStep(
                runID: runID, step: step, to: .running, nowMs: nowMs, db: db,
                insert: "INSERT INTO step_executions (run_id, step_id, item_index, status, input, started_at, updated_at) VALUES (?1, ?2, ?3, 'running', ?4, ?5, ?5)",
                // A delivered event's payload is the output the resumed step finishes with: keep it.
                update: """
                    status = 'running', input = excluded.input, output = CASE WHEN event_delivered_at IS NULL THEN NULL ELSE output END,
                    error = NULL, wake_at = NULL, awaiting_event = NULL, finished_at = NULL, updated_at = excluded.updated_at
                    """,
                extra: [input])

        case .attemptRecorded(let runID, let step, let attempt):
            try record(attempt, runID: runID, step: step, nowMs: nowMs, db: db)

        case .stepWaiting(let runID, let step, let wakeAt, let event):
            // Repeating the same wait keeps the time it began; a new wait forgets an earlier delivery.
            try upsertStep(
                runID: runID, step: step, to: .waiting, nowMs: nowMs, db: db,
                insert: """
                    INSERT INTO step_executions (run_id, step_id, item_index, status, wake_at, awaiting_event, waiting_since, started_at, updated_at)
                    VALUES (?1, ?2, ?3, 'waiting', ?4, ?5, ?6, ?6, ?6)
                    """,
                update: """
                    status = 'waiting', wake_at = excluded.wake_at, awaiting_event = excluded.awaiting_event,
                    waiting_since = CASE WHEN status = 'waiting' AND awaiting_event IS excluded.awaiting_event
                        THEN COALESCE(waiting_since, excluded.waiting_since) ELSE excluded.waiting_since END,
                    event_delivered_at = NULL, output = NULL, updated_at = excluded.updated_at
                    """,
                extra: [SQLiteValue.millis(wakeAt), event])

        case .stepFinished(let runID, let step, let status, let output, let error, let attempts):
            // The step row's attempt count is raised by the upsert below, in the same statement.
            for attempt in attempts {
                try insert(attempt, runID: runID, step: step, db: db)
            }
            // A step that never started (skipped) has no start time.
            let startedAt: Int64? = status == .skipped ? nil : (attempts.map(\.startedAt).min().map(SQLiteValue.millis) ?? nowMs)
            let attemptCount = attempts.map(\.number).max() ?? 0
            try upsertStep(
                runID: runID, step: step, to: status, nowMs: nowMs, db: db,
                insert: "INSERT INTO step_executions (run_id, step_id, item_index, status, output, error, started_at, attempt_count, finished_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
                update: "status = excluded.status, output = excluded.output, error = excluded.error, wake_at = NULL, awaiting_event = NULL, attempt_count = MAX(attempt_count, excluded.attempt_count), finished_at = excluded.finished_at, updated_at = excluded.updated_at",
                extra: [status.rawValue, output, error, startedAt, attemptCount])

        case .runFinished(let runID, let status, let output, let error):
            try finishHold(
                runID: runID, owner: owner, to: status, db: db,
                set: "status = ?3, output = ?4, error = ?5, finished_at = ?6, updated_at = ?6, wake_at = NULL",
                arguments: [status.rawValue, output, error, nowMs])

        case .runParked(let runID, let wakeAt):
            try finishHold(
                runID: runID, owner: owner, to: .waiting, db: db,
                set: "status = 'waiting', wake_at = ?3, updated_at = ?4",
                arguments: [SQLiteValue.millis(wakeAt), nowMs])

        case .leaseReleased(let runID):
            try finishHold(
                runID: runID, owner: owner, to: .queued, db: db,
                set: "status = 'queued', updated_at = ?3",
                arguments: [nowMs])
        }
    }

    /// Inserts a step execution, or moves an unfinished one to `to`; a finished step is never changed.
    ///
    /// `insert` binds ?1 run, ?2 step, ?3 item, then `extra`, then now as the last parameter.
    private static func upsertStep(
        runID: String, step: StepKey, to: StepStatus, nowMs: Int64, db: Database,
        insert: String, update: String, extra: [(any DatabaseValueConvertible)?]
    ) throws {
        var arguments: StatementArguments = [runID, step.stepID, SQLiteValue.itemIndex(step)]
        arguments += StatementArguments(extra + [nowMs])
        let changed = try db.change(
            """
            \(insert)
            ON CONFLICT (run_id, step_id, item_index) DO UPDATE SET \(update)
            WHERE status IN ('running', 'waiting')
            """,
            arguments)
        guard changed == 0 else { return }
        let current = try String.fetchOne(
            db.cachedStatement(sql: "SELECT status FROM step_executions WHERE run_id = ? AND step_id = ? AND item_index = ?"),
            arguments: [runID, step.stepID, SQLiteValue.itemIndex(step)])
        let from = try current.map { try SQLiteValue.decode(StepStatus.self, $0) } ?? to
        throw StoreError.invalidStepTransition(runID: runID, step: step, from: from, to: to)
    }

    /// Records an attempt (replacing an earlier record of the same number) and raises the step's attempt count.
    private static func record(_ attempt: NewAttempt, runID: String, step: StepKey, nowMs: Int64, db: Database) throws {
        let item = SQLiteValue.itemIndex(step)
        try insert(attempt, runID: runID, step: step, db: db)
        // The step row exists from here on: an attempt implies the step started.
        let changed = try db.change(
            """
            INSERT INTO step_executions (run_id, step_id, item_index, status, started_at, attempt_count, updated_at)
            VALUES (?1, ?2, ?3, 'running', ?4, ?5, ?6)
            ON CONFLICT (run_id, step_id, item_index) DO UPDATE SET
                attempt_count = MAX(attempt_count, excluded.attempt_count), updated_at = excluded.updated_at
            WHERE status IN ('running', 'waiting')
            """,
            [runID, step.stepID, item, SQLiteValue.millis(attempt.startedAt), attempt.number, nowMs])
        if changed == 0 {
            let current = try String.fetchOne(
                db.cachedStatement(sql: "SELECT status FROM step_executions WHERE run_id = ? AND step_id = ? AND item_index = ?"),
                arguments: [runID, step.stepID, item])
            let from = try current.map { try SQLiteValue.decode(StepStatus.self, $0) } ?? .running
            throw StoreError.invalidStepTransition(runID: runID, step: step, from: from, to: .running)
        }
    }

    /// Inserts an attempt row, replacing an earlier record of the same number.
    private static func insert(_ attempt: NewAttempt, runID: String, step: StepKey, db: Database) throws {
        try db.run(
            """
            INSERT INTO attempts (run_id, step_id, item_index, number, started_at, duration_us, request_summary,
                response_status, response_headers, response_body, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (run_id, step_id, item_index, number) DO UPDATE SET
                started_at = excluded.started_at, duration_us = excluded.duration_us,
                request_summary = excluded.request_summary, response_status = excluded.response_status,
                response_headers = excluded.response_headers, response_body = excluded.response_body,
                error = excluded.error
            """,
            [runID, step.stepID, SQLiteValue.itemIndex(step), attempt.number, SQLiteValue.millis(attempt.startedAt),
             attempt.duration.map(StoreTime.microseconds), attempt.requestSummary, attempt.responseStatus,
             attempt.responseHeaders, attempt.responseBody, attempt.error])
    }

    /// Ends the worker's hold on a run: releases the lease and applies `set`
    /// (?1 is the run id, ?2 the owner, ?3... are `arguments`).
    private static func finishHold(
        runID: String, owner: String, to: RunStatus, db: Database, set: String,
        arguments: [(any DatabaseValueConvertible)?]
    ) throws {
        let changed = try db.change(
            """
            UPDATE runs SET \(set), lease_owner = NULL, lease_expires_at = NULL
            WHERE id = ?1 AND lease_owner = ?2 AND status = 'running'
            """,
            StatementArguments([runID, owner] + arguments))
        if changed == 0 {
            throw StoreError.invalidTransition(runID: runID, from: .running, to: to)
        }
    }
}

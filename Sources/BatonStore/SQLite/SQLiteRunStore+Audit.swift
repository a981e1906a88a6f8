import Foundation
import GRDB

extension SQLiteRunStore {
    /// How many runs of each workflow were created at or after `since`, by status.
    public func runCounts(since: Date) async throws -> [String: [RunStatus: Int]] {
        let sinceMs = SQLiteValue.millis(since)
        return try await read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT workflow_name, status, COUNT(*) FROM runs WHERE created_at >= ?
                    GROUP BY workflow_name, status
                    """),
                arguments: [sinceMs])
            var counts: [String: [RunStatus: Int]] = [:]
            for row in rows {
                let status = try SQLiteValue.decode(RunStatus.self, row[1])
                counts[row[0], default: [:]][status] = row[2]
            }
            return counts
        }
    }

    /// The most recently saved version of the workflow named `name`, or `nil`.
    public func latestWorkflowVersion(named name: String) async throws -> WorkflowVersion? {
        try await read { db in
            try db.one(WorkflowVersion.self, "SELECT * FROM workflow_versions WHERE name = ? ORDER BY id DESC LIMIT 1", [name])
        }
    }

    /// Creates a queued run made from run `originalID`, records its origin and copies the
    /// original's succeeded executions of `steps`, with their attempts, in one transaction.
    public func createDerivedRun(
        _ new: NewRun, from originalID: String, kind: RunOrigin.Kind, carrying steps: Set<String>, now: Date
    ) async throws -> CreateRunResult {
        let nowMs = SQLiteValue.millis(now)
        let id = new.id ?? RunID.make(now: now)
        let stepList = String(decoding: try JSONEncoder().encode(steps.sorted()), as: UTF8.self)
        return try await write { db in
            guard try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM runs WHERE id = ?"), arguments: [originalID]) != nil else {
                throw StoreError.notFound(runID: originalID)
            }
            let result = try Self.insertRun(new, id: id, claim: nil, nowMs: nowMs, db: db)
            guard case .created(let run) = result else { return result }
            try db.run(
                "INSERT INTO run_origins (run_id, origin_run_id, kind, created_at) VALUES (?, ?, ?, ?)",
                [id, originalID, kind.rawValue, nowMs])
            guard !steps.isEmpty else { return result }
            // Copies keep their times, so the new run's record shows when the work was really done.
            let copied = try db.change(
                """
                INSERT INTO step_executions (run_id, step_id, item_index, status, input, output, error,
                    started_at, finished_at, attempt_count, updated_at)
                SELECT ?1, step_id, item_index, status, input, output, error, started_at, finished_at, attempt_count, updated_at
                FROM step_executions
                WHERE run_id = ?2 AND status = 'succeeded' AND step_id IN (SELECT value FROM json_each(?3))
                ORDER BY id
                """,
                [id, originalID, stepList])
            guard copied > 0 else { return result }
            try db.run(
                """
                INSERT INTO attempts (run_id, step_id, item_index, number, started_at, duration_us, request_summary,
                    response_status, response_headers, response_body, error)
                SELECT ?1, a.step_id, a.item_index, a.number, a.started_at, a.duration_us, a.request_summary,
                    a.response_status, a.response_headers, a.response_body, a.error
                FROM attempts a
                JOIN step_executions s ON s.run_id = ?1 AND s.step_id = a.step_id AND s.item_index = a.item_index
                WHERE a.run_id = ?2
                ORDER BY a.id
                """,
                [id, originalID])
            // The executor skips reading the steps of a run claimed for the first time (it has
            // none); counting the original's execution as a claim makes it read the copies.
            let counted = try db.one(Run.self, "UPDATE runs SET claim_count = 1 WHERE id = ? RETURNING *", [id]) ?? run
            return .created(counted)
        }
    }

    /// The run that run `runID` was made from, and the runs made from it, oldest first.
    public func lineage(runID: String) async throws -> RunLineage {
        try await read { db in
            let origin = try db.one(RunOrigin.self, "SELECT * FROM run_origins WHERE run_id = ?", [runID])
            let derived = try RunOrigin.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM run_origins WHERE origin_run_id = ? ORDER BY created_at, run_id"),
                arguments: [runID])
            return RunLineage(origin: origin, derived: derived)
        }
    }
}

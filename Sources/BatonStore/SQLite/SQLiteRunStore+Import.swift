import Foundation
import GRDB

extension SQLiteRunStore {
    /// Writes complete runs as they are (ids, statuses, times, payloads), with their step
    /// executions and attempts, in one transaction.
    ///
    /// For benchmarks, fixtures and imports: nothing is checked beyond the schema's constraints,
    /// so a run must name a saved workflow version and its steps and attempts must name a run
    /// of the same call or one already stored. Runs written as `running` hold no lease.
    public func importRuns(_ runs: [Run], steps: [StepExecution], attempts: [Attempt]) async throws {
        try await write { db in
            let runStatement = try db.cachedStatement(sql: """
                INSERT INTO runs (id, workflow_version_id, workflow_name, trigger_kind, trigger_payload, inputs,
                    idempotency_key, status, output, error, created_at, started_at, finished_at, updated_at, wake_at,
                    claim_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for run in runs {
                try runStatement.execute(arguments: [
                    run.id, run.workflowVersionID, run.workflowName, run.triggerKind.rawValue, run.triggerPayload, run.inputs,
                    run.idempotencyKey, run.status.rawValue, run.output, run.error, SQLiteValue.millis(run.createdAt),
                    SQLiteValue.millis(run.startedAt), SQLiteValue.millis(run.finishedAt), SQLiteValue.millis(run.updatedAt),
                    SQLiteValue.millis(run.wakeAt), run.claimCount,
                ])
            }
            let stepStatement = try db.cachedStatement(sql: """
                INSERT INTO step_executions (run_id, step_id, item_index, status, input, output, error, started_at,
                    finished_at, wake_at, attempt_count, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for step in steps {
                try stepStatement.execute(arguments: [
                    step.runID, step.key.stepID, SQLiteValue.itemIndex(step.key), step.status.rawValue, step.input, step.output,
                    step.error, SQLiteValue.millis(step.startedAt), SQLiteValue.millis(step.finishedAt),
                    SQLiteValue.millis(step.wakeAt), step.attemptCount, SQLiteValue.millis(step.updatedAt),
                ])
            }
            let attemptStatement = try db.cachedStatement(sql: """
                INSERT INTO attempts (run_id, step_id, item_index, number, started_at, duration_us, request_summary,
                    response_status, response_headers, response_body, error)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for attempt in attempts {
                let value = attempt.attempt
                try attemptStatement.execute(arguments: [
                    attempt.runID, attempt.key.stepID, SQLiteValue.itemIndex(attempt.key), value.number,
                    SQLiteValue.millis(value.startedAt), value.duration.map(StoreTime.microseconds), value.requestSummary,
                    value.responseStatus, value.responseHeaders, value.responseBody, value.error,
                ])
            }
        }
    }
}

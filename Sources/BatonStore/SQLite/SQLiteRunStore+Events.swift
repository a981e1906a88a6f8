import Foundation
import GRDB

extension SQLiteRunStore {
    /// Waiting steps subscribed to `event`, oldest first, at most `limit`.
    public func eventWaits(event: String, limit: Int) async throws -> [EventWait] {
        guard limit > 0 else { return [] }
        return try await read { db in
            try EventWait.fetchAll(db.cachedStatement(sql: Self.eventWaitsQuery), arguments: [event, limit])
        }
    }

    /// The subscribers of one event (?1), oldest first, at most ?2, along the small partial index.
    static let eventWaitsQuery = """
        SELECT \(EventWait.selection) FROM step_executions INDEXED BY step_executions_awaiting_event
        WHERE awaiting_event = ?1 AND status = 'waiting'
        ORDER BY waiting_since, id LIMIT ?2
        """

    /// The waiting steps of one run that are subscribed to an event.
    public func eventWaits(runID: String) async throws -> [EventWait] {
        try await read { db in
            try EventWait.fetchAll(
                db.cachedStatement(sql: """
                    SELECT \(EventWait.selection) FROM step_executions
                    WHERE run_id = ? AND awaiting_event IS NOT NULL AND status = 'waiting'
                    ORDER BY waiting_since, id
                    """),
                arguments: [runID])
        }
    }

    /// Delivers an event to one waiting step of a parked run; false, changing nothing, when the step no longer waits.
    public func deliverEvent(_ wait: EventWait, payload: String, now: Date) async throws -> Bool {
        let nowMs = SQLiteValue.millis(now)
        return try await write { db in
            // Only a parked run: a worker holding the run owns its step rows until it lets go.
            let delivered = try db.change(
                """
                UPDATE step_executions SET output = ?1, awaiting_event = NULL, event_delivered_at = ?2, wake_at = ?2,
                    updated_at = ?2
                WHERE run_id = ?3 AND step_id = ?4 AND item_index = ?5 AND status = 'waiting' AND awaiting_event = ?6
                    AND EXISTS (SELECT 1 FROM runs WHERE id = ?3 AND status = 'waiting')
                """,
                [payload, nowMs, wait.runID, wait.step.stepID, SQLiteValue.itemIndex(wait.step), wait.event])
            guard delivered == 1 else { return false }
            try db.run(
                "UPDATE runs SET wake_at = ?1, updated_at = ?1 WHERE id = ?2 AND status = 'waiting'", [nowMs, wait.runID])
            return true
        }
    }
}

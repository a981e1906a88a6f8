import GRDB

extension StepExecution: FetchableRecord {
    /// The `step_executions` table's columns.
    enum Columns: String, ColumnExpression {
        case id, status, input, output, error
        case runID = "run_id"
        case stepID = "step_id"
        case itemIndex = "item_index"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case wakeAt = "wake_at"
        case attemptCount = "attempt_count"
        case updatedAt = "updated_at"
        case awaitingEvent = "awaiting_event"
        case waitingSince = "waiting_since"
        case eventDeliveredAt = "event_delivered_at"
    }

    /// Decodes a full `step_executions` row.
    public init(row: Row) throws {
        self.init(
            runID: row[Columns.runID],
            key: SQLiteValue.stepKey(row[Columns.stepID], row[Columns.itemIndex]),
            status: try SQLiteValue.decode(StepStatus.self, row[Columns.status]),
            input: row[Columns.input],
            output: row[Columns.output],
            error: row[Columns.error],
            startedAt: SQLiteValue.date(row[Columns.startedAt]),
            finishedAt: SQLiteValue.date(row[Columns.finishedAt]),
            wakeAt: SQLiteValue.date(row[Columns.wakeAt]),
            attemptCount: row[Columns.attemptCount],
            updatedAt: SQLiteValue.date(row[Columns.updatedAt]),
            awaitingEvent: row[Columns.awaitingEvent],
            eventDeliveredAt: SQLiteValue.date(row[Columns.eventDeliveredAt])
        )
    }
}

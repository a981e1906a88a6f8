import GRDB

extension EventWait: FetchableRecord {
    /// The `step_executions` columns an event wait is read from.
    enum Columns: String, ColumnExpression {
        case runID = "run_id"
        case stepID = "step_id"
        case itemIndex = "item_index"
        case awaitingEvent = "awaiting_event"
        case waitingSince = "waiting_since"
    }

    /// The columns to select, in a form ``init(row:)`` decodes.
    static let selection = "run_id, step_id, item_index, awaiting_event, waiting_since"

    /// Decodes a subscribed step row selected with ``selection``.
    public init(row: Row) throws {
        self.init(
            runID: row[Columns.runID],
            step: SQLiteValue.stepKey(row[Columns.stepID], row[Columns.itemIndex]),
            event: row[Columns.awaitingEvent],
            since: SQLiteValue.date(row[Columns.waitingSince])
        )
    }
}

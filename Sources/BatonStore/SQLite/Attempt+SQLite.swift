import GRDB

extension Attempt: FetchableRecord {
    /// The `attempts` table's columns.
    enum Columns: String, ColumnExpression {
        case id, number, error
        case runID = "run_id"
        case stepID = "step_id"
        case itemIndex = "item_index"
        case startedAt = "started_at"
        case durationMicroseconds = "duration_us"
        case requestSummary = "request_summary"
        case responseStatus = "response_status"
        case responseHeaders = "response_headers"
        case responseBody = "response_body"
    }

    /// Decodes a full `attempts` row.
    public init(row: Row) throws {
        let micros: Int64? = row[Columns.durationMicroseconds]
        self.init(
            runID: row[Columns.runID],
            key: SQLiteValue.stepKey(row[Columns.stepID], row[Columns.itemIndex]),
            attempt: NewAttempt(
                number: row[Columns.number],
                startedAt: SQLiteValue.date(row[Columns.startedAt]),
                duration: micros.map { .microseconds($0) },
                requestSummary: row[Columns.requestSummary],
                responseStatus: row[Columns.responseStatus],
                responseHeaders: row[Columns.responseHeaders],
                responseBody: row[Columns.responseBody],
                error: row[Columns.error]
            )
        )
    }
}

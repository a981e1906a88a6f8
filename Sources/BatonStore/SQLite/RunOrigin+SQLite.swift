import GRDB

extension RunOrigin: FetchableRecord {
    /// The `run_origins` table's columns.
    enum Columns: String, ColumnExpression {
        case kind
        case runID = "run_id"
        case originalRunID = "origin_run_id"
        case createdAt = "created_at"
    }

    /// Decodes a full `run_origins` row.
    public init(row: Row) throws {
        self.init(
            runID: row[Columns.runID],
            originalRunID: row[Columns.originalRunID],
            kind: try SQLiteValue.decode(RunOrigin.Kind.self, row[Columns.kind]),
            createdAt: SQLiteValue.date(row[Columns.createdAt])
        )
    }
}

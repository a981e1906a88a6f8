import GRDB

extension WorkflowVersion: FetchableRecord {
    /// The `workflow_versions` table's columns.
    enum Columns: String, ColumnExpression {
        case id, name, hash, source
        case createdAt = "created_at"
    }

    /// Decodes a full `workflow_versions` row.
    public init(row: Row) throws {
        self.init(
            id: row[Columns.id],
            name: row[Columns.name],
            hash: row[Columns.hash],
            source: row[Columns.source],
            createdAt: SQLiteValue.date(row[Columns.createdAt])
        )
    }
}

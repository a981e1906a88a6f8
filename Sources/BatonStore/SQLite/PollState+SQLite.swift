import GRDB

extension PollState: FetchableRecord {
    /// The `poll_states` table's columns, and the `seen_count` that ``query`` adds.
    enum Columns: String, ColumnExpression {
        case key
        case initializedAt = "initialized_at"
        case lastPolledAt = "last_polled_at"
        case seenCount = "seen_count"
    }

    /// One trigger's state (?1 is its key), with its seen keys counted along `poll_seen_items`'s primary key.
    static let query = """
        SELECT key, initialized_at, last_polled_at,
            (SELECT COUNT(*) FROM poll_seen_items WHERE poll_key = ?1) AS seen_count
        FROM poll_states WHERE key = ?1
        """

    /// Decodes a row of ``query``.
    public init(row: Row) throws {
        self.init(
            key: row[Columns.key],
            initializedAt: SQLiteValue.date(row[Columns.initializedAt]),
            lastPolledAt: SQLiteValue.date(row[Columns.lastPolledAt]),
            seenCount: row[Columns.seenCount]
        )
    }
}

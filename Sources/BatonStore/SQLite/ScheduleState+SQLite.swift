import GRDB

extension ScheduleState: FetchableRecord {
    /// The `schedule_states` table's columns.
    enum Columns: String, ColumnExpression {
        case key
        case lastSlot = "last_slot"
        case nextFireAt = "next_fire_at"
        case updatedAt = "updated_at"
    }

    /// Decodes a full `schedule_states` row.
    public init(row: Row) throws {
        self.init(
            key: row[Columns.key],
            lastSlot: SQLiteValue.date(row[Columns.lastSlot]),
            nextFireAt: SQLiteValue.date(row[Columns.nextFireAt]),
            updatedAt: SQLiteValue.date(row[Columns.updatedAt])
        )
    }
}

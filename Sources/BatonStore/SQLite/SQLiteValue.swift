import Foundation

/// Conversions between Swift values and the SQLite columns' representations.
enum SQLiteValue {
    /// The `item_index` stored for a step without `for_each`.
    static let noItem: Int = -1

    /// Milliseconds for a `*_at` column.
    static func millis(_ date: Date) -> Int64 { StoreTime.milliseconds(date) }

    /// Milliseconds for a nullable `*_at` column.
    static func millis(_ date: Date?) -> Int64? { date.map(StoreTime.milliseconds) }

    /// The date in a `*_at` column.
    static func date(_ millis: Int64) -> Date { StoreTime.date(milliseconds: millis) }

    /// The date in a nullable `*_at` column.
    static func date(_ millis: Int64?) -> Date? { millis.map { StoreTime.date(milliseconds: $0) } }

    /// The `item_index` for a step key.
    static func itemIndex(_ key: StepKey) -> Int { key.item ?? noItem }

    /// The step key in `step_id` and `item_index` columns.
    static func stepKey(_ stepID: String, _ itemIndex: Int) -> StepKey {
        StepKey(stepID, item: itemIndex == noItem ? nil : itemIndex)
    }

    /// The enum value in a text column, or an error naming the bad value.
    static func decode<T: RawRepresentable<String>>(_ type: T.Type, _ raw: String) throws -> T {
        guard let value = T(rawValue: raw) else {
            throw StoreError.database("unexpected \(T.self) value '\(raw)' in the database; was it written by a newer Baton?")
        }
        return value
    }
}

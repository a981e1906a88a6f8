import Foundation
import GRDB

/// Settings and schedules; polls and events are in their own files.
extension SQLiteRunStore: TriggerStore {
    /// A server setting, or nil.
    public func setting(_ key: String) async throws -> String? {
        try await read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM settings WHERE key = ?"), arguments: [key])
        }
    }

    /// Stores `value` under `key` unless a value is already there; returns the value now stored.
    public func insertSettingIfAbsent(_ key: String, value: String, now: Date) async throws -> String {
        let nowMs = SQLiteValue.millis(now)
        return try await write { db in
            // The write lock makes insert-then-read atomic: every process gets the first value stored.
            try db.run(
                "INSERT INTO settings (key, value, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
                [key, value, nowMs])
            return try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM settings WHERE key = ?"), arguments: [key])!
        }
    }

    /// The state of one schedule trigger, or nil before it first fired.
    public func scheduleState(key: String) async throws -> ScheduleState? {
        try await read { db in
            try db.one(ScheduleState.self, "SELECT * FROM schedule_states WHERE key = ?", [key])
        }
    }

    /// Records the slot and creates its runs when the stored slot is still `expected`; nil when another process fired first.
    public func advanceSchedule(
        key: String, expected: Date?, lastSlot: Date, nextFireAt: Date?, runs: [NewRun], now: Date
    ) async throws -> [CreateRunResult]? {
        let nowMs = SQLiteValue.millis(now)
        let ids = runs.map { $0.id ?? RunID.make(now: now) }
        let slotMs = SQLiteValue.millis(lastSlot)
        let nextMs = SQLiteValue.millis(nextFireAt)
        return try await write { db in
            // The compare-and-set is one guarded statement; a run that fails to insert rolls it back.
            let changed: Int
            if let expected {
                changed = try db.change(
                    "UPDATE schedule_states SET last_slot = ?, next_fire_at = ?, updated_at = ? WHERE key = ? AND last_slot = ?",
                    [slotMs, nextMs, nowMs, key, SQLiteValue.millis(expected)])
            } else {
                changed = try db.change(
                    """
                    INSERT INTO schedule_states (key, last_slot, next_fire_at, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (key) DO NOTHING
                    """,
                    [key, slotMs, nextMs, nowMs])
            }
            guard changed == 1 else { return nil }
            return try zip(runs, ids).map { new, id in
                try Self.insertRun(new, id: id, claim: nil, nowMs: nowMs, db: db)
            }
        }
    }

    /// Deletes the state of schedules whose key starts with `prefix` and is not in `keep`; returns how many.
    public func forgetSchedules(prefix: String, keep: Set<String>) async throws -> Int {
        try await write { db in
            // One row per schedule trigger: a scan is cheap, and unlike LIKE, substr has no wildcards to escape.
            let keys = try String.fetchAll(
                db.cachedStatement(sql: "SELECT key FROM schedule_states WHERE substr(key, 1, length(?1)) = ?1"),
                arguments: [prefix])
            var forgotten = 0
            for key in keys where !keep.contains(key) {
                forgotten += try db.change("DELETE FROM schedule_states WHERE key = ?", [key])
            }
            return forgotten
        }
    }
}

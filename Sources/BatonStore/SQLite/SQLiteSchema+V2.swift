import GRDB

extension SQLiteSchema {
    /// `baton serve`'s trigger state (``TriggerStore``): settings, schedule slots, poll cursors,
    /// and event subscriptions on step executions.
    static func v2(_ db: Database) throws {
        try db.execute(sql: """
            -- Server settings (the API token, signing keys): the first value stored for a key stays.
            CREATE TABLE settings (
                key TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL,
                created_at INTEGER NOT NULL
            ) WITHOUT ROWID;

            -- One row per schedule trigger once it first fired; last_slot is the compare-and-set guard.
            CREATE TABLE schedule_states (
                key TEXT PRIMARY KEY NOT NULL,
                last_slot INTEGER NOT NULL,
                next_fire_at INTEGER,
                updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE poll_states (
                key TEXT PRIMARY KEY NOT NULL,
                initialized_at INTEGER NOT NULL,
                last_polled_at INTEGER NOT NULL
            ) WITHOUT ROWID;

            -- The item keys a poll trigger has seen. seen_seq grows with every poll that returns the
            -- item, so trimming to the newest keys drops the items that left the feed first.
            CREATE TABLE poll_seen_items (
                poll_key TEXT NOT NULL REFERENCES poll_states(key) ON DELETE CASCADE,
                item_key TEXT NOT NULL,
                seen_seq INTEGER NOT NULL,
                first_seen_at INTEGER NOT NULL,
                PRIMARY KEY (poll_key, item_key)
            ) WITHOUT ROWID;
            CREATE INDEX poll_seen_items_by_recency ON poll_seen_items (poll_key, seen_seq);

            -- A waiting step's event subscription (NULL once delivered, finished or cancelled), when it
            -- began waiting, and when an event was delivered (its payload is then the step's output).
            -- Columns of the step row, so that pruning a run removes its subscriptions with it.
            ALTER TABLE step_executions ADD COLUMN awaiting_event TEXT;
            ALTER TABLE step_executions ADD COLUMN waiting_since INTEGER;
            ALTER TABLE step_executions ADD COLUMN event_delivered_at INTEGER;
            CREATE INDEX step_executions_awaiting_event ON step_executions (awaiting_event, waiting_since, id)
                WHERE awaiting_event IS NOT NULL;
            """)
    }
}

import GRDB

extension SQLiteSchema {
    /// The audit's record of retries and replays: which run each was made from.
    static func v4Audit(_ db: Database) throws {
        try db.execute(sql: """
            -- One row per run made from an earlier run. The original is not a foreign key: it may be
            -- pruned before the runs made from it, whose row then still names it.
            CREATE TABLE run_origins (
                run_id TEXT PRIMARY KEY NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                origin_run_id TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('retry', 'replay')),
                created_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX run_origins_by_origin ON run_origins (origin_run_id, created_at);
            """)
    }
}

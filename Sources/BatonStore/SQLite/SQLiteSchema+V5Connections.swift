import GRDB

extension SQLiteSchema {
    /// Connections' token sets (sealed: the key never reaches the database) and the refresh
    /// lease each connection's refreshers take, so that processes sharing the file refresh one
    /// at a time. Times are Unix milliseconds in clear, for lists that need no key.
    static func v5Connections(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE connection_tokens (
                name TEXT PRIMARY KEY NOT NULL,
                kind TEXT NOT NULL,
                sealed BLOB,
                expires_at INTEGER,
                generation INTEGER NOT NULL DEFAULT 0,
                attention TEXT,
                attention_at INTEGER,
                lease_owner TEXT,
                lease_expires_at INTEGER,
                pending BLOB,
                refreshed_at INTEGER,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            """)
    }
}

import GRDB

extension SQLiteSchema {
    /// Encrypted secrets: the store keeps only sealed boxes (nonce, ciphertext and tag); the
    /// key never reaches the database.
    static func v3Secrets(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE secrets (
                name TEXT PRIMARY KEY NOT NULL,
                sealed BLOB NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            """)
    }
}

import Foundation
import GRDB

extension SQLiteRunStore: SecretStore {
    /// Stores or replaces the sealed value of secret `name`.
    public func putSecret(name: String, sealed: Data, now: Date) async throws {
        let nowMs = SQLiteValue.millis(now)
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO secrets (name, sealed, created_at, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at
                    """,
                arguments: [name, sealed, nowMs, nowMs])
        }
    }

    /// Every secret with its sealed value, by name.
    public func sealedSecrets() async throws -> [StoredSecret] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT name, sealed, created_at, updated_at FROM secrets ORDER BY name").map { row in
                StoredSecret(name: row["name"], sealed: row["sealed"],
                             createdAt: SQLiteValue.date(row["created_at"] as Int64), updatedAt: SQLiteValue.date(row["updated_at"] as Int64))
            }
        }
    }

    /// Deletes secret `name`; returns whether it existed.
    public func deleteSecret(name: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM secrets WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }
}

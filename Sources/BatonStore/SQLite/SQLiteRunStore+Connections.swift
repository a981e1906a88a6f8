import Foundation
import GRDB

extension SQLiteRunStore: ConnectionStore {
    private static let columns = """
        name, kind, sealed, expires_at, generation, attention, attention_at, lease_owner, lease_expires_at, pending,
        refreshed_at, created_at, updated_at
        """

    /// The stored state of connection `name`, or nil.
    public func connectionState(name: String) async throws -> ConnectionRecord? {
        try await read { db in try Self.fetchConnection(db, name: name) }
    }

    /// Every stored connection, by name.
    public func connectionStates() async throws -> [ConnectionRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM connection_tokens ORDER BY name").map(Self.connectionRecord)
        }
    }

    /// Takes the refresh lease of `name` when it is free, expired or already `owner`'s.
    public func acquireConnectionLease(name: String, kind: String, owner: String, until: Date, now: Date) async throws -> ConnectionLeaseResult {
        let nowMs = SQLiteValue.millis(now), untilMs = SQLiteValue.millis(until)
        return try await write { db in
            try Self.ensureConnectionRow(db, name: name, kind: kind, now: nowMs)
            // A guarded update: only one of several processes racing here changes the row.
            try db.execute(
                sql: """
                    UPDATE connection_tokens SET lease_owner = ?, lease_expires_at = ?, updated_at = ?
                    WHERE name = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at IS NULL OR lease_expires_at <= ?)
                    """,
                arguments: [owner, untilMs, nowMs, name, owner, nowMs])
            let acquired = db.changesCount > 0
            guard let record = try Self.fetchConnection(db, name: name) else {
                throw StoreError.database("connection '\(name)' vanished while its lease was taken")
            }
            return ConnectionLeaseResult(acquired: acquired, record: record)
        }
    }

    /// Gives the lease back, when `owner` holds it.
    public func releaseConnectionLease(name: String, owner: String) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE connection_tokens SET lease_owner = NULL, lease_expires_at = NULL WHERE name = ? AND lease_owner = ?",
                           arguments: [name, owner])
        }
    }

    /// Stores a token set, clears attention and pending state, and releases `owner`'s lease.
    public func saveConnectionTokens(name: String, kind: String, sealed: Data, expiresAt: Date?, releasing owner: String?,
                                     now: Date) async throws -> ConnectionRecord {
        let nowMs = SQLiteValue.millis(now)
        return try await write { db in
            try Self.ensureConnectionRow(db, name: name, kind: kind, now: nowMs)
            // Stored whoever holds the lease: the provider has already consumed the old refresh
            // token, so this set is the only one that still works.
            try db.execute(
                sql: """
                    UPDATE connection_tokens SET kind = ?, sealed = ?, expires_at = ?, generation = generation + 1,
                        attention = NULL, attention_at = NULL, pending = NULL, refreshed_at = ?, updated_at = ?,
                        lease_owner = CASE WHEN lease_owner = ? THEN NULL ELSE lease_owner END,
                        lease_expires_at = CASE WHEN lease_owner = ? THEN NULL ELSE lease_expires_at END
                    WHERE name = ?
                    """,
                arguments: [kind, sealed, SQLiteValue.millis(expiresAt), nowMs, nowMs, owner, owner, name])
            guard let record = try Self.fetchConnection(db, name: name) else {
                throw StoreError.database("connection '\(name)' vanished while its tokens were stored")
            }
            return record
        }
    }

    /// Marks the connection as needing a person and releases `owner`'s lease.
    public func markConnectionNeedsAttention(name: String, kind: String, reason: String, releasing owner: String?, now: Date) async throws {
        let nowMs = SQLiteValue.millis(now)
        try await write { db in
            try Self.ensureConnectionRow(db, name: name, kind: kind, now: nowMs)
            try db.execute(
                sql: """
                    UPDATE connection_tokens SET attention = ?, attention_at = COALESCE(attention_at, ?), updated_at = ?,
                        lease_owner = CASE WHEN lease_owner = ? THEN NULL ELSE lease_owner END,
                        lease_expires_at = CASE WHEN lease_owner = ? THEN NULL ELSE lease_expires_at END
                    WHERE name = ?
                    """,
                arguments: [reason, nowMs, nowMs, owner, owner, name])
        }
    }

    /// Keeps the sealed state of an authorization in progress.
    public func savePendingAuthorization(name: String, kind: String, sealed: Data, now: Date) async throws {
        let nowMs = SQLiteValue.millis(now)
        try await write { db in
            try Self.ensureConnectionRow(db, name: name, kind: kind, now: nowMs)
            try db.execute(sql: "UPDATE connection_tokens SET pending = ?, updated_at = ? WHERE name = ?",
                           arguments: [sealed, nowMs, name])
        }
    }

    /// Forgets everything stored for `name`.
    public func deleteConnectionState(name: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM connection_tokens WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    // MARK: Rows

    private static func ensureConnectionRow(_ db: Database, name: String, kind: String, now: Int64) throws {
        try db.execute(
            sql: "INSERT INTO connection_tokens (name, kind, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
            arguments: [name, kind, now, now])
    }

    private static func fetchConnection(_ db: Database, name: String) throws -> ConnectionRecord? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM connection_tokens WHERE name = ?", arguments: [name])
            .map(connectionRecord)
    }

    private static func connectionRecord(_ row: Row) -> ConnectionRecord {
        ConnectionRecord(
            name: row["name"], kind: row["kind"], sealedTokens: row["sealed"],
            expiresAt: SQLiteValue.date(row["expires_at"] as Int64?), generation: row["generation"],
            attention: row["attention"], attentionAt: SQLiteValue.date(row["attention_at"] as Int64?),
            leaseOwner: row["lease_owner"], leaseExpiresAt: SQLiteValue.date(row["lease_expires_at"] as Int64?),
            pendingAuthorization: row["pending"], refreshedAt: SQLiteValue.date(row["refreshed_at"] as Int64?),
            createdAt: SQLiteValue.date(row["created_at"] as Int64), updatedAt: SQLiteValue.date(row["updated_at"] as Int64))
    }
}

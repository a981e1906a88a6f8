import Foundation
import GRDB

/// The SQLite ``RunStore``: one database file in WAL mode, shared safely by several `baton`
/// processes through leases.
///
/// All writes go through one group-committing writer per store; reads run concurrently on
/// the pool's reader connections. Open one store per database file per process.
public final class SQLiteRunStore: RunStore {
    /// The database path.
    public let path: String
    /// The settings the store was opened with.
    public let configuration: Configuration

    let pool: DatabasePool
    let committer: GroupCommitter

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    ///
    /// Safe to call while other processes use the same file: migrations run in a write
    /// transaction, and a migration already applied is skipped.
    public init(path: String, configuration: Configuration = Configuration()) throws {
        self.path = path
        self.configuration = configuration
        var grdb = GRDB.Configuration()
        grdb.busyMode = .timeout(StoreTime.seconds(configuration.busyTimeout))
        grdb.maximumReaderCount = configuration.maximumReaderCount
        grdb.label = "BatonStore"
        do {
            pool = try DatabasePool(path: path, configuration: grdb)
            // DatabasePool sets synchronous=NORMAL on its writer after prepareDatabase runs,
            // so the level we want is set here, on the writer, after opening.
            let synchronous = configuration.synchronous.rawValue
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            }
            try Self.migrate(pool)
        } catch let error as DatabaseError {
            throw StoreError.database("cannot open \(path): \(error.message ?? error.description)")
        }
        committer = GroupCommitter(
            writer: pool, maximumBatchSize: configuration.maximumBatchSize, maximumLinger: configuration.maximumLinger)
    }

    /// Brings the schema up to date, tolerating another process migrating at the same moment.
    ///
    /// GRDB reads which migrations were applied before it starts each migration's transaction,
    /// so two processes opening a new file together may both try to apply `v1`; the loser's
    /// transaction fails and rolls back. Migrating again then finds the work done.
    private static func migrate(_ pool: DatabasePool) throws {
        let migrator = SQLiteSchema.migrator
        for attempt in 1... {
            do {
                try migrator.migrate(pool)
                return
            } catch is DatabaseError where attempt < 5 {
                if try pool.read(migrator.hasCompletedMigrations) { return }
            }
        }
    }

    /// The journal mode and synchronous level in effect on the writer connection.
    public func durability() async throws -> Durability {
        try await mapErrors {
            try await pool.writeWithoutTransaction { db in
                let journalMode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
                let level = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
                return Durability(journalMode: journalMode, synchronous: Synchronous(level: level))
            }
        }
    }

    /// How many transactions the writer committed, and how many requests they carried.
    public func writeStatistics() async -> WriteStatistics {
        await committer.statistics
    }

    /// Runs `work` in the group-committed writer; GRDB errors become ``StoreError/database(_:)``.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await mapErrors { try await committer.perform(work) }
    }

    /// Runs `work` on a reader connection; GRDB errors become ``StoreError/database(_:)``.
    func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await mapErrors { try await pool.read(work) }
    }

    private func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatabaseError {
            throw StoreError.database(error.message.map { "\($0) (SQLite code \(error.extendedResultCode.rawValue))" } ?? error.description)
        }
    }
}

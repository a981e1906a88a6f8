import Foundation
import GRDB

/// The SQLite ``RunStore`` and ``TriggerStore``: one database file in WAL mode, shared safely
/// by several `baton` processes through leases and guarded updates.
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
        // Pruned runs must give their space back (see reclaimSpace()). The mode takes effect only
        // while the file has no table yet, so the writer sets it as soon as it opens: a new file
        // gets it before GRDB and the migrations create tables; for an older file it is the mode
        // the one-time VACUUM of reclaimSpace() switches to. (Readers are read-only.)
        grdb.prepareDatabase { db in
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL") }
        }
        do {
            pool = try Self.open(path: path, configuration: grdb, synchronous: configuration.synchronous)
        } catch let error as DatabaseError {
            throw StoreError.database("cannot open \(path): \(error.message ?? error.description)")
        }
        committer = GroupCommitter(
            writer: pool, maximumBatchSize: configuration.maximumBatchSize, maximumLinger: configuration.maximumLinger)
    }

    /// Opens the pool, sets the durability level and migrates, tolerating other processes
    /// that open the same new file at the same moment.
    ///
    /// Two races are retried (at most 5 attempts): SQLite reports `SQLITE_BUSY` without
    /// waiting when connections collide while one switches a new file to WAL; and GRDB reads
    /// which migrations were applied before it starts each migration's transaction, so two
    /// processes may both apply `v1`, the loser's transaction failing and rolling back.
    private static func open(
        path: String, configuration: GRDB.Configuration, synchronous: Synchronous
    ) throws -> DatabasePool {
        let migrator = SQLiteSchema.migrator
        var attempt = 1
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                // DatabasePool sets synchronous=NORMAL on its writer after prepareDatabase
                // runs, so the level we want is set here, on the writer, after opening.
                try pool.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)")
                }
                if try pool.read(migrator.hasBeenSuperseded) {
                    throw StoreError.database(
                        "\(path) was written by a newer Baton (its schema has migrations this version does not know); run a newer baton, or point --db at another file")
                }
                do {
                    try migrator.migrate(pool)
                } catch {
                    // Another process may have applied the migrations first.
                    guard try pool.read(migrator.hasCompletedMigrations) else { throw error }
                }
                return pool
            } catch let error as DatabaseError where attempt < 5 {
                guard error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_ERROR else { throw error }
                Thread.sleep(forTimeInterval: 0.02 * Double(attempt))
                attempt += 1
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

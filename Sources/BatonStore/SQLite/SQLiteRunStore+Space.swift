import Foundation
import GRDB

extension SQLiteRunStore {
    /// SQLite's `PRAGMA auto_vacuum` modes.
    public enum AutoVacuum: Int, Sendable, Hashable {
        /// Deleted pages stay in the file for reuse; only a full `VACUUM` shrinks it.
        case none = 0
        /// The file shrinks at every commit.
        case full = 1
        /// The file shrinks when asked (`PRAGMA incremental_vacuum`): what Baton uses.
        case incremental = 2
    }

    /// The auto-vacuum mode of the database file.
    public func autoVacuum() async throws -> AutoVacuum {
        try await read { db in AutoVacuum(rawValue: try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") ?? 0) ?? .none }
    }

    /// The bytes the database takes on disk: the file and its write-ahead log.
    public func sizeOnDisk() -> Int64 {
        [path, path + "-wal"].reduce(0) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
            return total + size
        }
    }

    /// Gives the pages of deleted runs back to the file system and empties the write-ahead log.
    ///
    /// A file made before Baton set incremental auto-vacuum is switched to it once, by a full
    /// `VACUUM` (it rewrites the file, so it takes as long as copying it); afterwards each call
    /// only truncates the free pages. The log is emptied when no reader holds it; otherwise it
    /// shrinks at a later call.
    public func reclaimSpace() async throws -> SpaceReclaimed {
        let before = sizeOnDisk()
        do {
            try await pool.writeWithoutTransaction { db in
                let mode = AutoVacuum(rawValue: try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") ?? 0) ?? .none
                if mode == .none {
                    // VACUUM cannot run in a transaction: this is why the writer is used directly.
                    try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                    try db.execute(sql: "VACUUM")
                } else {
                    try db.execute(sql: "PRAGMA incremental_vacuum")
                }
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch let error as DatabaseError {
            throw StoreError.database("cannot reclaim the space of deleted runs in \(path): \(error.message ?? error.description)")
        }
        return SpaceReclaimed(bytesBefore: before, bytesAfter: sizeOnDisk())
    }
}

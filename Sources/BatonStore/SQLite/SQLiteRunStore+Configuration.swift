extension SQLiteRunStore {
    /// How the SQLite store opens and writes its database.
    public struct Configuration: Sendable, Hashable {
        /// SQLite's `PRAGMA synchronous`: `.full` (default) makes every commit survive power loss.
        public var synchronous: Synchronous
        /// How long a write waits for another process's write lock before failing.
        public var busyTimeout: Duration
        /// The most requests merged into one group-committed transaction.
        public var maximumBatchSize: Int
        /// When no request is queued after a transaction, the longest the writer waits for the
        /// callers it just resumed to send their next request, so they share the next
        /// transaction (never more than a quarter of the last transaction's duration);
        /// `.zero` turns the wait off.
        public var maximumLinger: Duration
        /// The most concurrent reader connections.
        public var maximumReaderCount: Int

        /// Describes a configuration; the defaults suit production.
        public init(
            synchronous: Synchronous = .full, busyTimeout: Duration = .seconds(10),
            maximumBatchSize: Int = 256, maximumLinger: Duration = .milliseconds(1), maximumReaderCount: Int = 4
        ) {
            self.synchronous = synchronous
            self.busyTimeout = busyTimeout
            self.maximumBatchSize = maximumBatchSize
            self.maximumLinger = maximumLinger
            self.maximumReaderCount = maximumReaderCount
        }
    }

    /// SQLite's `PRAGMA synchronous` levels.
    public enum Synchronous: String, Sendable, Hashable, CaseIterable {
        /// No fsync: fast, loses recent commits on power loss (tests only).
        case off = "OFF"
        /// In WAL mode, durable across a process crash but not always across power loss.
        case normal = "NORMAL"
        /// Every commit is fsynced: durable across power loss.
        case full = "FULL"
        /// Like `full`, and also syncs the directory after deleting journals.
        case extra = "EXTRA"

        /// The level SQLite reports as a number from `PRAGMA synchronous`.
        init(level: Int) {
            switch level {
            case 0: self = .off
            case 1: self = .normal
            case 2: self = .full
            default: self = .extra
            }
        }
    }

    /// The durability settings in effect, as SQLite reports them.
    public struct Durability: Sendable, Hashable {
        /// `PRAGMA journal_mode`, `wal` for this store.
        public var journalMode: String
        /// `PRAGMA synchronous` on the writer connection.
        public var synchronous: Synchronous
    }

    /// How well group commit is merging writes since the store opened.
    public struct WriteStatistics: Sendable, Hashable {
        /// Write transactions committed.
        public var transactions = 0
        /// Requests (commits, claims, creates...) carried by those transactions.
        public var requests = 0
        /// The most requests one transaction carried.
        public var largestBatch = 0
    }
}

import GRDB

/// The single writer of a database: merges concurrent callers' writes into shared transactions.
///
/// Each caller's work runs in its own savepoint inside the batch's transaction, so a caller
/// whose work throws (a guard that no longer holds) is rolled back alone and gets its own
/// error, while the others commit. While one transaction is in flight, new requests queue
/// up and go into the next one, so under load one fsync covers many checkpoints; between
/// transactions the writer waits briefly for the callers it just resumed (see `linger`). A
/// caller resumes only after the transaction holding its work has committed.
actor GroupCommitter {
    /// One caller's pending work.
    private struct Job: Sendable {
        /// Runs the work in its savepoint; returns how to resume the caller once the batch commits.
        let apply: @Sendable (Database) -> @Sendable () -> Void
        /// Resumes the caller with an error when the batch as a whole failed.
        let fail: @Sendable (any Error) -> Void
    }

    /// Thrown inside a batch when SQLite rolled the whole transaction back under us.
    private struct TransactionAborted: Error {}

    private let writer: DatabasePool
    private let maximumBatchSize: Int
    private var queue: [Job] = []
    private var isDraining = false
    /// The longest the writer waits for resumed callers before starting the next batch.
    let maximumLinger: Duration
    /// Transactions committed and requests they carried, for metrics and tests.
    private(set) var statistics = SQLiteRunStore.WriteStatistics()

    /// Requests waiting for the next transaction.
    var pendingCount: Int { queue.count }

    /// Creates the writer for `writer`, putting at most `maximumBatchSize` requests in one
    /// transaction and waiting at most `maximumLinger` for resumed callers between transactions.
    init(writer: DatabasePool, maximumBatchSize: Int, maximumLinger: Duration) {
        precondition(maximumBatchSize >= 1)
        self.writer = writer
        self.maximumBatchSize = maximumBatchSize
        self.maximumLinger = maximumLinger
    }

    /// Runs `work` in the next shared transaction and returns its result once that transaction committed.
    func perform<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            queue.append(Job(
                apply: { db in
                    do {
                        var result: T?
                        try db.inSavepoint {
                            result = try work(db)
                            return .commit
                        }
                        let value = result!
                        return { continuation.resume(returning: value) }
                    } catch {
                        return { continuation.resume(throwing: error) }
                    }
                },
                fail: { error in continuation.resume(throwing: error) }
            ))
            if !isDraining {
                isDraining = true
                Task { await self.drain() }
            }
        }
    }

    /// When nobody is queued, gives the callers just resumed a moment to send their next
    /// request before a new batch starts, so that they share one transaction. Otherwise the
    /// first caller back would get a transaction of its own and the rest would queue behind
    /// it, splitting steady committers into small batches (throughput is bounded by the
    /// fsync per transaction). Queued requests are never held back: they start at once.
    ///
    /// Waits until `expected` requests are queued, for at most the last transaction's duration
    /// (capped by `maximumLinger`), so a caller that does not come back costs little. (A quarter
    /// of it, tried first, let 8 committers merge only 3.2 requests per fsync.)
    private func linger(expecting expected: Int, lastTransaction: Duration) async {
        guard maximumLinger > .zero, queue.isEmpty else { return }
        let clock = ContinuousClock()
        let deadline = clock.now + min(maximumLinger, lastTransaction)
        // Bounded by the deadline.
        while queue.count < expected, clock.now < deadline {
            try? await Task.sleep(for: .microseconds(50))
        }
    }

    /// Commits queued jobs batch by batch until the queue is empty.
    private func drain() async {
        while !queue.isEmpty {
            let batch = Array(queue.prefix(maximumBatchSize))
            queue.removeFirst(batch.count)
            let started = ContinuousClock.now
            do {
                let resumptions = try await writer.write { db in
                    var resumptions: [@Sendable () -> Void] = []
                    resumptions.reserveCapacity(batch.count)
                    for job in batch {
                        resumptions.append(job.apply(db))
                        // Some errors (disk full, I/O) make SQLite roll back the whole
                        // transaction; later statements would then autocommit one by one.
                        guard db.isInsideTransaction else { throw TransactionAborted() }
                    }
                    return resumptions
                }
                statistics.transactions += 1
                statistics.requests += batch.count
                statistics.largestBatch = max(statistics.largestBatch, batch.count)
                let queuedMeanwhile = queue.count
                for resume in resumptions { resume() }
                await linger(
                    expecting: min(queuedMeanwhile + batch.count, maximumBatchSize), lastTransaction: ContinuousClock.now - started)
            } catch {
                let failure: any Error = error is TransactionAborted
                    ? StoreError.database("the transaction was rolled back by SQLite; nothing in it was saved")
                    : error
                for job in batch { job.fail(failure) }
            }
        }
        isDraining = false
    }
}

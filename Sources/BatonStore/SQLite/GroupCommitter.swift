import Foundation
import GRDB

/// The single writer of a database: merges concurrent callers' writes into shared transactions.
///
/// Each caller's work runs in its own savepoint inside the batch's transaction, so a caller
/// whose work throws (a guard that no longer holds) is rolled back alone and gets its own
/// error, while the others commit. While one transaction is in flight, new requests queue
/// up and go into the next one, so under load one fsync covers many checkpoints; between
/// transactions the writer waits briefly for the callers it just resumed (see `linger`). A
/// caller resumes only after the transaction holding its work has committed.
///
/// The writer is a thread of its own that writes synchronously, started when a request
/// arrives and ended after a second without one: a batch costs no hop between executors, the
/// wait for callers is a condition variable with a deadline (not a sleeping task that the
/// scheduler wakes late on a busy machine), and the fsync blocks neither Swift's cooperative
/// threads nor Dispatch's global ones (a serial dispatch queue ran the loop on those).
final class GroupCommitter: @unchecked Sendable {
    // @unchecked: `state` is only touched with `condition` locked.

    /// One caller's pending work.
    private struct Job: Sendable {
        /// Runs the work in its savepoint; returns how to resume the caller once the batch commits.
        let apply: @Sendable (Database) -> @Sendable () -> Void
        /// Resumes the caller with an error when the batch as a whole failed.
        let fail: @Sendable (any Error) -> Void
    }

    private struct State {
        var queue: [Job] = []
        var isDraining = false
        var statistics = SQLiteRunStore.WriteStatistics()
    }

    /// Thrown inside a batch when SQLite rolled the whole transaction back under us.
    private struct TransactionAborted: Error {}

    private let writer: DatabasePool
    private let maximumBatchSize: Int
    private let condition = NSCondition()
    private var state = State()
    /// How long the writer thread stays for new requests before it ends.
    private let idleTimeout: TimeInterval = 1
    /// The longest the writer waits for resumed callers between transactions.
    let maximumLinger: Duration

    /// Creates the writer for `writer`, putting at most `maximumBatchSize` requests in one
    /// transaction and waiting at most `maximumLinger` for resumed callers between transactions.
    init(writer: DatabasePool, maximumBatchSize: Int, maximumLinger: Duration) {
        precondition(maximumBatchSize >= 1)
        self.writer = writer
        self.maximumBatchSize = maximumBatchSize
        self.maximumLinger = maximumLinger
    }

    /// Requests waiting for the next transaction.
    var pendingCount: Int {
        get async { locked { $0.queue.count } }
    }

    /// Transactions committed and requests they carried, for metrics and tests.
    var statistics: SQLiteRunStore.WriteStatistics {
        get async { locked { $0.statistics } }
    }

    /// Runs `work` in the next shared transaction and returns its result once that transaction committed.
    func perform<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(
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
            )
            let start = locked { state -> Bool in
                state.queue.append(job)
                guard !state.isDraining else { return false }
                state.isDraining = true
                return true
            }
            if start {
                let thread = Thread { self.drain() }
                thread.name = "baton-store-writer"
                thread.start()
            } else {
                condition.signal()
            }
        }
    }

    private func locked<R>(_ body: (inout State) -> R) -> R {
        condition.lock()
        defer { condition.unlock() }
        return body(&state)
    }

    /// Commits queued jobs batch by batch; ends once no request came for `idleTimeout` (the next request starts it again).
    private func drain() {
        while true {
            let batch = nextBatch()
            if batch.isEmpty { return }
            let started = ContinuousClock.now
            do {
                let resumptions = try writer.write { db in
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
                let duration = ContinuousClock.now - started
                locked { state in
                    state.statistics.transactions += 1
                    state.statistics.requests += batch.count
                    state.statistics.largestBatch = max(state.statistics.largestBatch, batch.count)
                }
                for resume in resumptions { resume() }
                linger(expecting: min(batch.count, maximumBatchSize), lastTransaction: duration)
            } catch {
                let failure: any Error = error is TransactionAborted
                    ? StoreError.database("the transaction was rolled back by SQLite; nothing in it was saved")
                    : error
                for job in batch { job.fail(failure) }
            }
        }
    }

    /// The next requests to commit, waiting up to `idleTimeout` for one; empty (and the writer
    /// marked stopped, under the same lock) when none came.
    private func nextBatch() -> [Job] {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: idleTimeout)
        // Bounded by the deadline: `wait(until:)` returns false once it passed.
        while state.queue.isEmpty {
            if !condition.wait(until: deadline) { break }
        }
        let batch = Array(state.queue.prefix(maximumBatchSize))
        state.queue.removeFirst(batch.count)
        if batch.isEmpty { state.isDraining = false }
        return batch
    }

    /// When nobody is queued, gives the callers just resumed a moment to send their next
    /// request before a new batch starts, so that they share one transaction. Otherwise the
    /// first caller back would get a transaction of its own and the rest would queue behind
    /// it, splitting steady committers into small batches (throughput is bounded by the
    /// fsync per transaction). Queued requests are never held back: they start at once.
    ///
    /// Waits until `expected` requests are queued, for at most the last transaction's duration
    /// (capped by `maximumLinger`), so a caller that does not come back costs little.
    private func linger(expecting expected: Int, lastTransaction: Duration) {
        guard maximumLinger > .zero else { return }
        let wait = min(maximumLinger, lastTransaction)
        let deadline = Date(timeIntervalSinceNow: Double(wait.components.attoseconds) / 1e18 + Double(wait.components.seconds))
        condition.lock()
        defer { condition.unlock() }
        guard state.queue.isEmpty else { return }
        // Bounded by the deadline: `wait(until:)` returns false once it passed.
        while state.queue.count < expected {
            if !condition.wait(until: deadline) { return }
        }
    }
}

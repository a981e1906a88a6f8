import Foundation
import GRDB

extension SQLiteRunStore {
    /// Claims up to `limit` runs for `owner`, oldest first (queued, expired lease, due timer),
    /// starting no more runs of a workflow in `concurrencyLimits` than its limit allows.
    public func claimRuns(
        owner: String, limit: Int, leaseDuration: Duration, now: Date, concurrencyLimits: [String: Int]
    ) async throws -> [Run] {
        guard limit > 0 else { return [] }
        let nowMs = SQLiteValue.millis(now)
        let expiresMs = SQLiteValue.millis(now.addingTimeInterval(StoreTime.seconds(leaseDuration)))
        return try await write { db in
            // Counting and claiming share the write transaction (BEGIN IMMEDIATE), so a limit holds
            // across processes too.
            let chosen = try Self.chooseClaims(limit: limit, concurrencyLimits: concurrencyLimits, nowMs: nowMs, db: db)
            var claimed: [Run] = []
            for id in chosen {
                // The guard repeats the claimable condition: the row is taken only if no live lease holds it.
                let run = try db.one(
                    Run.self,
                    """
                    UPDATE runs SET status = 'running', lease_owner = ?1, lease_expires_at = ?2,
                        heartbeat_at = ?3, started_at = COALESCE(started_at, ?3), wake_at = NULL,
                        claim_count = claim_count + 1, updated_at = ?3
                    WHERE id = ?4
                        AND (status IN ('queued', 'running') OR (status = 'waiting' AND wake_at <= ?3))
                        AND (lease_owner IS NULL OR lease_expires_at IS NULL OR lease_expires_at < ?3)
                    RETURNING *
                    """,
                    [owner, expiresMs, nowMs, id])
                if let run { claimed.append(run) }
            }
            return claimed
        }
    }

    /// A claimable run as the candidate queries return it.
    private struct Candidate {
        var createdAt: Int64
        var id: String
        var workflowName: String

        init(_ row: Row) {
            createdAt = row[0]
            id = row[1]
            workflowName = row[2]
        }

        /// Claim order: oldest first, ties broken by id.
        func precedes(_ other: Candidate) -> Bool { (createdAt, id) < (other.createdAt, other.id) }
    }

    /// The ids of the runs to claim, oldest first: the three candidate queries merged, skipping
    /// queued and due runs of workflows that have no free slot left.
    ///
    /// Taking over an expired lease never needs a slot: the run is already counted as running.
    /// The queries are read lazily, so skipping the backlog of a saturated workflow reads past it
    /// instead of starving the other workflows' runs behind it.
    private static func chooseClaims(
        limit: Int, concurrencyLimits: [String: Int], nowMs: Int64, db: Database
    ) throws -> [String] {
        var free = try freeSlots(concurrencyLimits, db: db)
        // Without limits every candidate is taken, so each query needs at most `limit` rows; -1 is no limit.
        let window = concurrencyLimits.isEmpty ? limit : -1
        let cursors = try claimCandidateQueries.map { sql in
            try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: [nowMs, window])
        }
        // Each cursor reuses its row: keep the decoded head of each instead.
        var heads = try cursors.map { try $0.next().map(Candidate.init) }
        var chosen: [String] = []
        while chosen.count < limit {
            var next: Int?
            for (index, head) in heads.enumerated() {
                guard let head else { continue }
                if let best = next, let current = heads[best], !head.precedes(current) { continue }
                next = index
            }
            guard let next, let candidate = heads[next] else { break }
            heads[next] = try cursors[next].next().map(Candidate.init)
            if next != Self.expiredLeaseQueryIndex, let slots = free[candidate.workflowName] {
                guard slots > 0 else { continue }
                free[candidate.workflowName] = slots - 1
            }
            chosen.append(candidate.id)
        }
        return chosen
    }

    /// How many more runs each limited workflow may start: its limit minus its running runs.
    private static func freeSlots(_ concurrencyLimits: [String: Int], db: Database) throws -> [String: Int] {
        guard !concurrencyLimits.isEmpty else { return [:] }
        var running: [String: Int] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: runningCountQuery)) {
            running[row[0]] = row[1]
        }
        return Dictionary(uniqueKeysWithValues: concurrencyLimits.map { name, limit in
            (name, max(0, limit - running[name, default: 0]))
        })
    }

    /// Running runs per workflow; walks only the running runs (bounded by the workers' capacity).
    static let runningCountQuery =
        "SELECT workflow_name, COUNT(*) FROM runs INDEXED BY runs_by_status_time WHERE status = 'running' GROUP BY workflow_name"

    /// The three queries that find claimable runs (?1 now, ?2 limit or -1), oldest first.
    ///
    /// `INDEXED BY` pins the small partial indexes: without statistics SQLite would walk every
    /// running or waiting run through `runs_by_status_time` instead of only the expired or due ones.
    static let claimCandidateQueries = [
        "SELECT created_at, id, workflow_name FROM runs INDEXED BY runs_by_status_time WHERE status = 'queued' ORDER BY created_at, id LIMIT ?2",
        "SELECT created_at, id, workflow_name FROM runs INDEXED BY runs_expired_leases WHERE status = 'running' AND lease_expires_at < ?1 ORDER BY created_at, id LIMIT ?2",
        "SELECT created_at, id, workflow_name FROM runs INDEXED BY runs_due_timers WHERE status = 'waiting' AND wake_at <= ?1 ORDER BY created_at, id LIMIT ?2",
    ]

    /// The position of the expired-lease query in ``claimCandidateQueries``.
    private static let expiredLeaseQueryIndex = 1
}

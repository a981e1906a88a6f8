import Foundation
import GRDB

extension SQLiteRunStore {
    /// The state of one poll trigger, or nil before its first recorded poll.
    public func pollState(key: String) async throws -> PollState? {
        try await read { db in try db.one(PollState.self, PollState.query, [key]) }
    }

    /// Records one poll's items, creating the runs of the new ones, in one transaction; returns
    /// one outcome per new item, in input order.
    public func recordPoll(key: String, items: [PollItem], keepAtMost: Int, now: Date) async throws -> [PollOutcome] {
        guard keepAtMost >= 1 else {
            throw StoreError.invalidArgument(
                "recordPoll needs keepAtMost of 1 or more, not \(keepAtMost): it is how many item keys the poll trigger \(key) remembers")
        }
        var distinct: Set<String> = []
        let unique = items.filter { distinct.insert($0.key).inserted }
        let ids = unique.map { $0.run?.id ?? RunID.make(now: now) }
        let nowMs = SQLiteValue.millis(now)
        return try await write { db in
            try db.run(
                """
                INSERT INTO poll_states (key, initialized_at, last_polled_at) VALUES (?1, ?2, ?2)
                ON CONFLICT (key) DO UPDATE SET last_polled_at = excluded.last_polled_at
                """,
                [key, nowMs])
            let lastSeq = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT MAX(seen_seq) FROM poll_seen_items WHERE poll_key = ?"), arguments: [key]) ?? 0
            var outcomes: [PollOutcome] = []
            for (offset, item) in unique.enumerated() {
                let seq = lastSeq + 1 + Int64(offset)
                // A known item is seen again: it moves to the newest end, away from trimming.
                let known = try db.change(
                    "UPDATE poll_seen_items SET seen_seq = ? WHERE poll_key = ? AND item_key = ?", [seq, key, item.key])
                if known == 1 { continue }
                try db.run(
                    "INSERT INTO poll_seen_items (poll_key, item_key, seen_seq, first_seen_at) VALUES (?, ?, ?, ?)",
                    [key, item.key, seq, nowMs])
                var result: CreateRunResult?
                if let new = item.run {
                    result = try Self.insertRun(new, id: ids[offset], claim: nil, nowMs: nowMs, db: db)
                }
                outcomes.append(PollOutcome(key: item.key, result: result))
            }
            // Everything at or below the (keepAtMost + 1)-th newest sequence goes; NULL (fewer keys) deletes nothing.
            try db.run(
                """
                DELETE FROM poll_seen_items WHERE poll_key = ?1 AND seen_seq <= (
                    SELECT seen_seq FROM poll_seen_items WHERE poll_key = ?1 ORDER BY seen_seq DESC LIMIT 1 OFFSET ?2)
                """,
                [key, keepAtMost])
            return outcomes
        }
    }
}

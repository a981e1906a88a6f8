import Foundation
import GRDB
import Testing

@testable import BatonStore

/// What only the SQLite driver promises about trigger state: the upgrade from `v1` and the indexes.
struct SQLiteTriggerStoreTests {
    /// Runs `body` with a fresh database path in a temporary directory, then removes the directory.
    private func withPath(_ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("baton-sqlite-trigger-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory.appendingPathComponent("baton.sqlite").path)
    }

    @Test("a database of the previous version is upgraded in place, its parked runs intact")
    func upgradeFromV1() async throws {
        try await withPath { path in
            do {
                // What an earlier Baton left behind: a run parked on a timer.
                let old = try DatabasePool(path: path)
                try SQLiteSchema.migrator.migrate(old, upTo: "v1")
                try await old.write { db in
                    try db.execute(sql: """
                        INSERT INTO workflow_versions (id, name, hash, source, created_at) VALUES (1, 'post', 'h', 'name: post', 0);
                        INSERT INTO runs (id, workflow_version_id, workflow_name, trigger_kind, status, created_at, updated_at, wake_at)
                            VALUES ('r1', 1, 'post', 'manual', 'waiting', 0, 0, 5000);
                        INSERT INTO step_executions (run_id, step_id, status, wake_at, started_at, updated_at)
                            VALUES ('r1', 'delay', 'waiting', 5000, 0, 0);
                        """)
                }
            }
            let store = try SQLiteRunStore(path: path)
            let migrations = try await store.pool.read { db in
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            }
            #expect(migrations == ["v1", "v2", "v3-secrets", "v4-audit", "v5-connections"])
            let step = try #require(try await store.steps(runID: "r1").first)
            #expect(step.status == .waiting)
            #expect(step.awaitingEvent == nil && step.eventDeliveredAt == nil)
            #expect(try await store.eventWaits(runID: "r1").isEmpty)
            let woken = try await store.claimRuns(owner: "w", limit: 5, leaseDuration: .seconds(30), now: Date(timeIntervalSince1970: 5))
            #expect(woken.map(\.id) == ["r1"])
        }
    }

    @Test("event and concurrency queries walk only their small indexes")
    func plans() async throws {
        try await withPath { path in
            let store = try SQLiteRunStore(path: path)
            let plans = try await store.pool.read { db in
                try [
                    (SQLiteRunStore.eventWaitsQuery, ["approval", 10] as StatementArguments),
                    (SQLiteRunStore.runningCountQuery, StatementArguments()),
                ].map { sql, arguments in
                    try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: arguments)
                        .map { $0["detail"] as String }.joined(separator: "; ")
                }
            }
            #expect(plans[0].contains("step_executions_awaiting_event (awaiting_event=?)"), "\(plans[0])")
            // Oldest first comes from the index order, not from sorting every subscriber.
            #expect(!plans[0].contains("TEMP B-TREE"), "\(plans[0])")
            #expect(plans[1].contains("runs_by_status_time (status=?)"), "\(plans[1])")
        }
    }
}

import Foundation
import GRDB
import Testing

@testable import BatonStore

/// What only the SQLite driver promises: durability settings, migrations, files shared by processes.
struct SQLiteRunStoreTests {
    /// Runs `body` with a fresh database path in a temporary directory, then removes the directory.
    private func withPath(_ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("baton-sqlite-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory.appendingPathComponent("baton.sqlite").path)
    }

    @Test("the database is in WAL mode with synchronous=FULL by default")
    func durabilityDefaults() async throws {
        try await withPath { path in
            let store = try SQLiteRunStore(path: path)
            let durability = try await store.durability()
            #expect(durability.journalMode == "wal")
            #expect(durability.synchronous == .full)
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        }
    }

    @Test("the synchronous level is a setting", arguments: SQLiteRunStore.Synchronous.allCases)
    func synchronousSetting(_ level: SQLiteRunStore.Synchronous) async throws {
        try await withPath { path in
            let store = try SQLiteRunStore(path: path, configuration: .init(synchronous: level))
            #expect(try await store.durability().synchronous == level)
        }
    }

    @Test("reopening keeps the data and applies each migration once")
    func reopen() async throws {
        try await withPath { path in
            var runID = ""
            do {
                let store = try SQLiteRunStore(path: path)
                let version = try await store.version()
                runID = try await store.newRun(version).id
                _ = try await store.claimOne(owner: "w")
                try await store.commit([.stepFinished(runID: runID, step: StepKey("a"), status: .succeeded, output: "1")], owner: "w", now: T.at(1))
            }
            for _ in 0..<2 {
                let store = try SQLiteRunStore(path: path)
                #expect(try await store.run(id: runID)?.status == .running)
                #expect(try await store.steps(runID: runID).first?.output == "1")
                let migrations = try await store.pool.read { db in
                    try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
                }
                #expect(migrations == ["v1", "v2", "v3-secrets", "v4-audit", "v5-connections"])
            }
        }
    }

    @Test("processes that open a new database at the same moment all succeed")
    func concurrentFirstOpen() async throws {
        for _ in 0..<20 {  // the race is narrow: try it a few times
            try await withPath { path in
                let opened = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<4 {
                        group.addTask { try SQLiteRunStore(path: path).path == path }
                    }
                    return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
                }
                #expect(opened == 4)
            }
        }
    }

    @Test("two stores on one file write at the same time without losing anything")
    func twoWriters() async throws {
        try await withPath { path in
            let first = try SQLiteRunStore(path: path)
            let second = try SQLiteRunStore(path: path)
            let version = try await first.version()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, store) in [first, second].enumerated() {
                    group.addTask {
                        for number in 0..<50 {
                            _ = try await store.createRun(
                                NewRun(workflowVersionID: version.id, triggerKind: .manual, idempotencyKey: "\(index)-\(number)"),
                                now: T.at(Double(number)))
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await first.countRuns(filter: RunFilter()) == 100)
            #expect(try await second.countRuns(filter: RunFilter()) == 100)
        }
    }

    @Test("a second store on the same file cannot claim a run the first one leased")
    func secondStoreCannotClaim() async throws {
        try await withPath { path in
            let first = try SQLiteRunStore(path: path)
            let version = try await first.version()
            let run = try await first.newRun(version)
            _ = try await first.claimOne(owner: "process-1", at: T.zero, lease: .seconds(30))
            let second = try SQLiteRunStore(path: path)
            #expect(try await second.claimRuns(owner: "process-2", limit: 5, leaseDuration: .seconds(30), now: T.at(10)).isEmpty)
            #expect(try await second.run(id: run.id)?.leaseOwner == "process-1")
        }
    }

    @Test("concurrent commits share transactions")
    func groupCommitMerges() async throws {
        try await withPath { path in
            let store = try SQLiteRunStore(path: path)
            let version = try await store.version()
            var runs: [Run] = []
            for index in 0..<50 {
                runs.append(try await store.newRun(version, at: T.at(Double(index))))
            }
            _ = try await store.claimRuns(owner: "w", limit: 50, leaseDuration: .seconds(60), now: T.at(60))
            let before = await store.writeStatistics()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for run in runs {
                    group.addTask {
                        for index in 0..<5 {
                            try await store.commit(
                                [.stepFinished(runID: run.id, step: StepKey("s\(index)"), status: .succeeded)], owner: "w", now: T.at(61))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let after = await store.writeStatistics()
            #expect(after.requests - before.requests == 250)
            #expect(after.transactions - before.transactions < 250)
            #expect(after.largestBatch > 1)
        }
    }

    @Test("the audit queries use their indexes", arguments: [
        (RunFilter(workflowName: "post"), "runs_by_workflow_time"),
        (RunFilter(workflowName: "post", since: T.zero), "runs_by_workflow_time"),
        (RunFilter(statuses: [.failed]), "runs_by_status_time"),
        (RunFilter(statuses: [.failed], until: T.zero), "runs_by_status_time"),
        (RunFilter(), "runs_by_time"),
        (RunFilter(triggerKind: .webhook, since: T.zero), "runs_by_time"),
    ])
    func listPlans(_ filter: RunFilter, _ index: String) async throws {
        try await withPath { path in
            let store = try SQLiteRunStore(path: path)
            let cursor = RunCursor("1750000000000.01JXT21Q00VE7XKXYNV9VS7TSZ")
            for after in [nil, cursor] {
                let (sql, arguments) = SQLiteRunStore.listQuery(filter: filter, limit: 50, after: after)
                let plan = try await store.pool.read { db in
                    try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: arguments).map { $0["detail"] as String }
                }
                #expect(plan.contains { $0.contains("USING INDEX \(index)") || $0.contains("USING COVERING INDEX \(index)") }, "\(plan)")
                // Newest-first order comes from walking the index, never from sorting millions of rows.
                #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
            }
        }
    }

    @Test("claiming and timer queries walk only the small partial indexes")
    func claimPlans() async throws {
        try await withPath { path in
            let store = try SQLiteRunStore(path: path)
            let plans = try await store.pool.read { db in
                try (SQLiteRunStore.claimCandidateQueries + [SQLiteRunStore.nextWakeQuery]).map { sql in
                    try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: sql.contains("?") ? [0, 5] : [])
                        .map { $0["detail"] as String }.joined(separator: "; ")
                }
            }
            #expect(plans[0].contains("runs_by_status_time (status=?)"), "\(plans[0])")
            #expect(plans[1].contains("runs_expired_leases (lease_expires_at<?)"), "\(plans[1])")
            #expect(plans[2].contains("runs_due_timers (wake_at<?)"), "\(plans[2])")
            #expect(plans[3].contains("runs_due_timers"), "\(plans[3])")
        }
    }

    @Test("a database written by a newer Baton is refused with an explanation")
    func newerSchema() async throws {
        try await withPath { path in
            let store = try SQLiteRunStore(path: path)
            try await store.pool.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999-from-the-future')")
            }
            #expect {
                _ = try SQLiteRunStore(path: path)
            } throws: { error in
                guard case StoreError.database(let message) = error else { return false }
                return message.contains("was written by a newer Baton") && message.contains(path)
            }
        }
    }

    @Test("a file that cannot be opened gives an error naming it")
    func openError() async throws {
        let path = "/nonexistent-baton-dir/\(UUID().uuidString)/baton.sqlite"
        #expect {
            _ = try SQLiteRunStore(path: path)
        } throws: { error in
            guard case StoreError.database(let message) = error else { return false }
            return message.contains(path)
        }
    }
}

import Foundation
import GRDB
import Testing

@testable import BatonStore

/// The SQLite file gives pruned runs' space back: new files use incremental auto-vacuum, and
/// an older file is switched to it by its first reclaim.
struct SQLiteSpaceTests {
    private func withPath(_ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("baton-space-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory.appendingPathComponent("baton.sqlite").path)
    }

    /// `count` finished runs of ~4 KB each (payload, step output and attempt), finished at `time`.
    private func fill(_ store: SQLiteRunStore, count: Int, at time: Double) async throws {
        let version = try await store.version()
        let blob = String(repeating: "x", count: 1500)
        for index in 0..<count {
            let run = try await store.createClaimedRun(
                NewRun(workflowVersionID: version.id, triggerKind: .webhook, triggerPayload: #"{"n":\#(index),"pad":"\#(blob)"}"#),
                owner: "w", leaseDuration: .seconds(60), now: T.at(time)).run
            try await store.commit([
                .stepFinished(runID: run.id, step: StepKey("a"), status: .succeeded, output: #""\#(blob)""#,
                              attempts: [NewAttempt(number: 1, startedAt: T.at(time), responseBody: blob)]),
                .runFinished(runID: run.id, status: .succeeded),
            ], owner: "w", now: T.at(time))
        }
    }

    @Test("a new database uses incremental auto-vacuum")
    func newFileIsIncremental() async throws {
        try await withPath { path in
            let store = try SQLiteRunStore(path: path)
            #expect(try await store.autoVacuum() == .incremental)
        }
    }

    @Test("pruning most runs and reclaiming shrinks the file")
    func pruneShrinksTheFile() async throws {
        try await withPath { path in
            let store = try SQLiteRunStore(path: path, configuration: .init(synchronous: .off))
            try await fill(store, count: 1500, at: 0)
            try await fill(store, count: 100, at: 1000)
            _ = try await store.reclaimSpace()
            let full = store.sizeOnDisk()
            #expect(full > 5_000_000, "the fill should take several megabytes, not \(full) bytes")
            var deleted = 0
            while true {
                let count = try await store.pruneRuns(finishedBefore: T.at(500), limit: 400)
                deleted += count
                if count == 0 { break }
            }
            #expect(deleted == 1500)
            let space = try await store.reclaimSpace()
            #expect(space.bytesBefore.map { $0 >= full } == true)
            let after = try #require(space.bytesAfter)
            #expect(after < full / 4, "the file should shrink to about a sixteenth: \(full) -> \(after) bytes")
            #expect(after == store.sizeOnDisk())
            #expect(try await store.countRuns(filter: RunFilter()) == 100)
        }
    }

    @Test("a database made before auto-vacuum is switched once by its first reclaim")
    func olderFileIsSwitched() async throws {
        try await withPath { path in
            // A file whose first table came before Baton asked for auto-vacuum, as older versions made them.
            do {
                let queue = try DatabaseQueue(path: path)
                try await queue.write { db in try db.execute(sql: "CREATE TABLE legacy (x INTEGER)") }
            }
            let store = try SQLiteRunStore(path: path, configuration: .init(synchronous: .off))
            #expect(try await store.autoVacuum() == SQLiteRunStore.AutoVacuum.none)
            try await fill(store, count: 600, at: 0)
            let full = store.sizeOnDisk()
            _ = try await store.pruneRuns(finishedBefore: T.at(500), limit: 1000)
            let space = try await store.reclaimSpace()
            #expect(try await store.autoVacuum() == .incremental)
            #expect(try #require(space.bytesAfter) < full / 4)
            // And later prunes shrink it without a full rewrite.
            try await fill(store, count: 600, at: 1000)
            let refilled = store.sizeOnDisk()
            _ = try await store.pruneRuns(finishedBefore: T.at(2000), limit: 1000)
            #expect(try #require(try await store.reclaimSpace().bytesAfter) < refilled / 4)
        }
    }
}

import Foundation
import GRDB
import Testing

@testable import BatonStore

/// The group-committing writer on its own.
struct GroupCommitterTests {
    private struct Refused: Error, Equatable { let number: Int }

    @Test("requests queued behind a transaction go into the next one together, and one failure stays its own")
    func batchesAndIsolation() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("baton-committer-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = try DatabasePool(path: directory.appendingPathComponent("db.sqlite").path)
        try await pool.write { db in try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY)") }
        let committer = GroupCommitter(writer: pool, maximumBatchSize: 100, maximumLinger: .milliseconds(1))

        // The first request holds the writer long enough for the others to queue up behind it.
        async let slow: Void = committer.perform { db in
            Thread.sleep(forTimeInterval: 0.3)
            try db.execute(sql: "INSERT INTO t (n) VALUES (0)")
        }
        try await Task.sleep(for: .milliseconds(100))
        let results = await withTaskGroup(of: (Int, Result<Int, Refused>).self) { group in
            for number in 1...10 {
                group.addTask {
                    do {
                        return (number, .success(try await committer.perform { db in
                            try db.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [number])
                            // This one's insert must be rolled back with its savepoint, not the others'.
                            if number == 4 { throw Refused(number: number) }
                            return number
                        }))
                    } catch {
                        return (number, .failure(error as! Refused))
                    }
                }
            }
            return await group.reduce(into: [Int: Result<Int, Refused>]()) { $0[$1.0] = $1.1 }
        }
        try await slow
        for number in 1...10 {
            #expect(results[number] == (number == 4 ? .failure(Refused(number: 4)) : .success(number)))
        }
        let stored = try await pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM t ORDER BY n") }
        #expect(stored == [0, 1, 2, 3, 5, 6, 7, 8, 9, 10])
        let statistics = await committer.statistics
        #expect(statistics.requests == 11)
        #expect(statistics.transactions == 2)
        #expect(statistics.largestBatch == 10)
    }
}

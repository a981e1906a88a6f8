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

        // The first request holds the writer until the others have queued up behind it.
        let started = DispatchSemaphore(value: 0)
        let gate = DispatchSemaphore(value: 0)
        async let slow: Void = committer.perform { db in
            started.signal()
            _ = gate.wait(timeout: .now() + 10)
            try db.execute(sql: "INSERT INTO t (n) VALUES (0)")
        }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                _ = started.wait(timeout: .now() + 10)
                continuation.resume()
            }
        }
        async let opened: Void = {
            var polls = 0
            while await committer.pendingCount < 10, polls < 1000 {  // bounded: 10 s at most
                polls += 1
                try? await Task.sleep(for: .milliseconds(10))
            }
            gate.signal()
        }()
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
        await opened
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

import BatonStore
import Foundation
import Testing

/// Conformance: audit queries (list, count) and cancellation.
struct RunStoreQueryTests {
    /// Creates runs of two workflows with distinct kinds, statuses and times; returns them oldest
    /// first (ties by id), the first four finished.
    private func populate(_ store: any RunStore) async throws -> [Run] {
        let post = try await store.version("post")
        let digest = try await store.version("digest")
        var runs: [Run] = []
        for index in 0..<12 {
            // Pairs share a creation time, so that paging must break ties by id.
            let version = index % 3 == 0 ? digest : post
            let kind: TriggerKind = index.isMultiple(of: 2) ? .webhook : .schedule
            runs.append(try await store.newRun(version, kind: kind, at: T.at(Double(index / 2))))
        }
        // Claims go oldest first, ties by id: order the list the same way.
        runs.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        // Finish runs 0...3: succeeded, failed, succeeded, failed.
        for index in 0..<4 {
            let claimed = try await store.claimRuns(owner: "w", limit: 1, leaseDuration: .seconds(60), now: T.at(100))
            let run = try #require(claimed.first)
            #expect(run.id == runs[index].id)
            try await store.commit(
                [.runFinished(runID: run.id, status: index.isMultiple(of: 2) ? .succeeded : .failed)], owner: "w", now: T.at(101))
        }
        return runs
    }

    @Test("lists are newest first and filter by workflow, status, trigger and time", arguments: StoreFactory.all)
    func filters(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let runs = try await populate(store)
            let newestFirst = runs.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
            func ids(_ filter: RunFilter) async throws -> [String] {
                try await store.listRuns(filter: filter, limit: 100, after: nil).runs.map(\.id)
            }
            #expect(try await ids(RunFilter()) == newestFirst.map(\.id))
            #expect(try await ids(RunFilter(workflowName: "digest")) == newestFirst.filter { $0.workflowName == "digest" }.map(\.id))
            #expect(try await ids(RunFilter(statuses: [.failed])) == [runs[3].id, runs[1].id])
            #expect(try await ids(RunFilter(statuses: [.succeeded, .failed])).count == 4)
            #expect(try await ids(RunFilter(statuses: [])).isEmpty)
            #expect(try await ids(RunFilter(triggerKind: .schedule)) == newestFirst.filter { $0.triggerKind == .schedule }.map(\.id))
            #expect(try await ids(RunFilter(since: T.at(2), until: T.at(4))) == newestFirst.filter {
                $0.createdAt >= T.at(2) && $0.createdAt < T.at(4)
            }.map(\.id))
            let combined = RunFilter(workflowName: "post", statuses: [.queued], triggerKind: .webhook, since: T.at(1))
            let expected = runs.filter {
                $0.workflowName == "post" && $0.triggerKind == .webhook && $0.createdAt >= T.at(1)
            }.filter { run in !runs.prefix(4).contains { $0.id == run.id } }
            #expect(Set(try await ids(combined)) == Set(expected.map(\.id)))
            #expect(try await store.countRuns(filter: RunFilter()) == 12)
            #expect(try await store.countRuns(filter: combined) == expected.count)
            #expect(try await store.countRuns(filter: RunFilter(workflowName: "missing")) == 0)
        }
    }

    @Test("paging with the cursor visits every run once, in order", arguments: StoreFactory.all)
    func pagination(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let runs = try await populate(store)
            let newestFirst = runs.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.map(\.id)
            var seen: [String] = []
            var cursor: RunCursor?
            var pages = 0
            repeat {
                let page = try await store.listRuns(filter: RunFilter(), limit: 5, after: cursor)
                seen += page.runs.map(\.id)
                // The token survives a trip through a URL or the command line.
                cursor = try page.next.map { try #require(RunCursor($0.description)) }
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == newestFirst)
            // A page that ends exactly at the last run has no next cursor.
            let exact = try await store.listRuns(filter: RunFilter(), limit: 12, after: nil)
            #expect(exact.runs.count == 12 && exact.next == nil)
            let filtered = try await store.listRuns(filter: RunFilter(workflowName: "post"), limit: 3, after: nil)
            let rest = try await store.listRuns(filter: RunFilter(workflowName: "post"), limit: 100, after: filtered.next)
            #expect(filtered.runs.map(\.id) + rest.runs.map(\.id) == runs.filter { $0.workflowName == "post" }
                .sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.map(\.id))
            await #expect(throws: StoreError.self) {
                try await store.listRuns(filter: RunFilter(), limit: 0, after: nil)
            }
        }
    }

    @Test("cancelling stops queued, waiting and running runs and their unfinished steps", arguments: StoreFactory.all)
    func cancel(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let version = try await store.version()
            let running = try await store.newRun(version, at: T.at(0))
            let waiting = try await store.newRun(version, at: T.at(1))
            _ = try await store.claimRuns(owner: "w", limit: 2, leaseDuration: .seconds(60), now: T.at(2))
            let queued = try await store.newRun(version, at: T.at(3))
            try await store.commit(
                [.stepFinished(runID: running.id, step: StepKey("a"), status: .succeeded),
                 .stepStarted(runID: running.id, step: StepKey("b"))],
                owner: "w", now: T.at(4))
            try await store.commit([.runParked(runID: waiting.id, wakeAt: T.at(1000))], owner: "w", now: T.at(4))

            let cancelled = try await store.cancelRun(id: running.id, reason: "cancelled by alice", now: T.at(5))
            #expect(cancelled.status == .cancelled)
            #expect(cancelled.error == "cancelled by alice")
            #expect(cancelled.finishedAt == T.at(5))
            #expect(cancelled.leaseOwner == nil)
            #expect(try await store.steps(runID: running.id).map(\.status) == [.succeeded, .cancelled])
            // The worker learns at its next checkpoint or heartbeat.
            await #expect(throws: StoreError.runCancelled(runID: running.id)) {
                try await store.commit([.stepFinished(runID: running.id, step: StepKey("b"), status: .succeeded)], owner: "w", now: T.at(6))
            }
            #expect(try await store.heartbeat(owner: "w", runIDs: [running.id], leaseDuration: .seconds(60), now: T.at(6)) == [running.id])

            #expect(try await store.cancelRun(id: waiting.id, reason: nil, now: T.at(7)).status == .cancelled)
            #expect(try await store.cancelRun(id: queued.id, reason: nil, now: T.at(7)).status == .cancelled)
            #expect(try await store.nextWakeTime() == nil)
            #expect(try await store.claimRuns(owner: "w", limit: 10, leaseDuration: .seconds(60), now: T.at(5000)).isEmpty)
            // Cancelling again is harmless; a finished run cannot be cancelled.
            #expect(try await store.cancelRun(id: queued.id, reason: "again", now: T.at(8)).error == nil)
            let done = try await store.newRun(version, at: T.at(9))
            _ = try await store.claimOne(owner: "w", at: T.at(9))
            try await store.commit([.runFinished(runID: done.id, status: .succeeded)], owner: "w", now: T.at(10))
            await #expect(throws: StoreError.invalidTransition(runID: done.id, from: .succeeded, to: .cancelled)) {
                try await store.cancelRun(id: done.id, reason: nil, now: T.at(11))
            }
            await #expect(throws: StoreError.notFound(runID: "missing")) {
                try await store.cancelRun(id: "missing", reason: nil, now: T.at(11))
            }
        }
    }

    @Test("pruning deletes only runs that finished before the cutoff, with their steps and attempts", arguments: StoreFactory.all)
    func prune(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let runs = try await populate(store)  // runs 0...3 finished at 101 s, the rest unfinished
            let step = StepKey("a")
            let old = runs[4]
            _ = try await store.claimRuns(owner: "p", limit: 1, leaseDuration: .seconds(60), now: T.at(200))
            try await store.commit(
                [.stepFinished(runID: old.id, step: step, status: .failed, error: "x",
                               attempts: [NewAttempt(number: 1, startedAt: T.at(200), error: "x")]),
                 .runFinished(runID: old.id, status: .failed, error: "x")],
                owner: "p", now: T.at(201))
            #expect(try await store.pruneRuns(finishedBefore: T.at(101), limit: 10) == 0)
            #expect(try await store.pruneRuns(finishedBefore: T.at(150), limit: 3) == 3)
            #expect(try await store.pruneRuns(finishedBefore: T.at(150), limit: 3) == 1)
            #expect(try await store.pruneRuns(finishedBefore: T.at(150), limit: 3) == 0)
            for run in runs.prefix(4) {
                #expect(try await store.run(id: run.id) == nil)
            }
            #expect(try await store.countRuns(filter: RunFilter()) == 8)
            #expect(try await store.pruneRuns(finishedBefore: T.at(300), limit: 10) == 1)
            #expect(try await store.steps(runID: old.id).isEmpty)
            #expect(try await store.attempts(runID: old.id).isEmpty)
            #expect(try await store.countRuns(filter: RunFilter()) == 7)
        }
    }
}

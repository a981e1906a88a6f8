import BatonStore
import Foundation
import Testing

/// Conformance: per-workflow concurrency limits (`concurrency: N`) applied when claiming runs.
struct RunStoreConcurrencyTests {
    /// Counts `name`'s running runs.
    private func running(_ store: any RunStore, _ name: String) async throws -> Int {
        try await store.countRuns(filter: RunFilter(workflowName: name, statuses: [.running]))
    }

    @Test("a limited workflow never runs more than its limit; other workflows' runs are still claimed", arguments: StoreFactory.all)
    func limitAcrossClaims(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let post = try await store.version("post")
            let digest = try await store.version("digest")
            var posts: [Run] = []
            for second in 0..<5 {
                posts.append(try await store.newRun(post, at: T.at(Double(second))))
            }
            let digests = [try await store.newRun(digest, at: T.at(10)), try await store.newRun(digest, at: T.at(11))]
            let limits = ["post": 2]

            let first = try await store.claimRuns(owner: "w", limit: 10, leaseDuration: .seconds(60), now: T.at(20), concurrencyLimits: limits)
            #expect(first.map(\.id) == [posts[0].id, posts[1].id, digests[0].id, digests[1].id])
            #expect(try await store.claimRuns(owner: "w", limit: 10, leaseDuration: .seconds(60), now: T.at(21), concurrencyLimits: limits).isEmpty)
            #expect(try await running(store, "post") == 2)

            // A finished run frees one slot, for the oldest queued run.
            try await store.commit([.runFinished(runID: posts[0].id, status: .succeeded)], owner: "w", now: T.at(22))
            let next = try await store.claimRuns(owner: "w", limit: 10, leaseDuration: .seconds(60), now: T.at(23), concurrencyLimits: limits)
            #expect(next.map(\.id) == [posts[2].id])
            // Without a limit (or with the old signature) the rest are claimed.
            let rest = try await store.claimRuns(owner: "w", limit: 10, leaseDuration: .seconds(60), now: T.at(24))
            #expect(rest.map(\.id) == [posts[3].id, posts[4].id])
        }
    }

    @Test("a saturated workflow's backlog does not starve later runs of other workflows", arguments: StoreFactory.all)
    func noStarvation(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let post = try await store.version("post")
            let digest = try await store.version("digest")
            for second in 0..<30 {
                _ = try await store.newRun(post, at: T.at(Double(second)))
            }
            let late = try await store.newRun(digest, at: T.at(100))
            let limits = ["post": 1, "paused": 0]
            let claimed = try await store.claimRuns(owner: "w", limit: 3, leaseDuration: .seconds(60), now: T.at(200), concurrencyLimits: limits)
            #expect(claimed.map(\.workflowName) == ["post", "digest"])
            #expect(claimed.last?.id == late.id)
            // A limit of 0 holds a workflow's runs back entirely.
            let paused = try await store.version("paused")
            let held = try await store.newRun(paused, at: T.at(201))
            #expect(try await store.claimRuns(owner: "w", limit: 3, leaseDuration: .seconds(60), now: T.at(202), concurrencyLimits: limits).isEmpty)
            #expect(try await store.run(id: held.id)?.status == .queued)
        }
    }

    @Test("due waiting runs count like queued ones; an expired lease is taken over even at the limit", arguments: StoreFactory.all)
    func waitingAndTakeover(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let post = try await store.version("post")
            let parked = try await store.newRun(post, at: T.at(0))
            let busy = try await store.newRun(post, at: T.at(1))
            let limits = ["post": 1]
            _ = try await store.claimRuns(owner: "w", limit: 1, leaseDuration: .seconds(60), now: T.at(2), concurrencyLimits: limits)
            try await store.commit([.runParked(runID: parked.id, wakeAt: T.at(10))], owner: "w", now: T.at(3))
            let claimedBusy = try await store.claimRuns(owner: "dies", limit: 5, leaseDuration: .seconds(30), now: T.at(4), concurrencyLimits: limits)
            #expect(claimedBusy.map(\.id) == [busy.id])
            // The timer is due, but "busy" holds the only slot: the parked run stays parked.
            #expect(try await store.claimRuns(owner: "w", limit: 5, leaseDuration: .seconds(30), now: T.at(20), concurrencyLimits: limits).isEmpty)
            #expect(try await store.run(id: parked.id)?.status == .waiting)
            // "dies" died: its run is taken over (it already counts), and the parked one still waits.
            let takeover = try await store.claimRuns(owner: "w", limit: 5, leaseDuration: .seconds(30), now: T.at(40), concurrencyLimits: limits)
            #expect(takeover.map(\.id) == [busy.id])
            try await store.commit([.runFinished(runID: busy.id, status: .succeeded)], owner: "w", now: T.at(41))
            let resumed = try await store.claimRuns(owner: "w", limit: 5, leaseDuration: .seconds(30), now: T.at(42), concurrencyLimits: limits)
            #expect(resumed.map(\.id) == [parked.id])
        }
    }

    @Test("two processes claiming at once stay within a workflow's limit", arguments: StoreFactory.all)
    func twoProcesses(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let stores = [fixture.store, try fixture.openAnother()]
            let post = try await fixture.store.version("post")
            let digest = try await fixture.store.version("digest")
            for index in 0..<30 {
                _ = try await fixture.store.newRun(index.isMultiple(of: 3) ? digest : post, at: T.at(Double(index)))
            }
            let claimed = try await withThrowingTaskGroup(of: [Run].self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var mine: [Run] = []
                        for _ in 0..<5 {
                            mine += try await stores[worker % 2].claimRuns(
                                owner: "worker-\(worker)", limit: 2, leaseDuration: .seconds(60), now: T.at(100),
                                concurrencyLimits: ["post": 3])
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: [Run]()) { $0 += $1 }
            }
            #expect(Set(claimed.map(\.id)).count == claimed.count)
            #expect(claimed.filter { $0.workflowName == "post" }.count == 3)
            #expect(claimed.filter { $0.workflowName == "digest" }.count == 10)
            #expect(try await running(fixture.store, "post") == 3)
        }
    }
}

import BatonStore
import Foundation
import Testing

/// Conformance: claiming runs, leases, heartbeats, expiry and takeover between processes.
struct RunStoreLeaseTests {
    @Test("claims take the oldest runs first, up to the limit, and lease them", arguments: StoreFactory.all)
    func claimOrderAndLimit(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let version = try await store.version()
            var created: [Run] = []
            for second in [3.0, 1.0, 2.0, 4.0] {
                created.append(try await store.newRun(version, at: T.at(second)))
            }
            let now = T.at(10)
            let claimed = try await store.claimRuns(owner: "worker-a", limit: 2, leaseDuration: .seconds(30), now: now)
            #expect(claimed.map(\.id) == [created[1].id, created[2].id])
            for run in claimed {
                #expect(run.status == .running)
                #expect(run.leaseOwner == "worker-a")
                #expect(run.leaseExpiresAt == T.at(40))
                #expect(run.heartbeatAt == now)
                #expect(run.startedAt == now)
                #expect(run.claimCount == 1)
            }
            let rest = try await store.claimRuns(owner: "worker-b", limit: 10, leaseDuration: .seconds(30), now: now)
            #expect(rest.map(\.id) == [created[0].id, created[3].id])
            #expect(try await store.claimRuns(owner: "worker-c", limit: 10, leaseDuration: .seconds(30), now: now).isEmpty)
            #expect(try await store.claimRuns(owner: "worker-c", limit: 0, leaseDuration: .seconds(30), now: now).isEmpty)
        }
    }

    @Test("a run whose worker died is taken over once its lease expires", arguments: StoreFactory.all)
    func takeoverAfterExpiry(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let version = try await store.version()
            let run = try await store.newRun(version)
            _ = try await store.claimOne(owner: "dead", at: T.zero, lease: .seconds(30))
            // Still leased at the expiry instant: the guard is `lease_expires_at < now`.
            #expect(try await store.claimRuns(owner: "alive", limit: 5, leaseDuration: .seconds(30), now: T.at(30)).isEmpty)
            let taken = try await store.claimOne(owner: "alive", at: T.at(30.001))
            #expect(taken.id == run.id)
            #expect(taken.leaseOwner == "alive")
            #expect(taken.claimCount == 2)
            #expect(taken.startedAt == T.zero)

            // The old worker wakes up: every change it tries is refused with a matchable error.
            await #expect(throws: StoreError.leaseLost(runID: run.id)) {
                try await store.commit([.stepStarted(runID: run.id, step: StepKey("a"))], owner: "dead", now: T.at(31))
            }
            await #expect(throws: StoreError.leaseLost(runID: run.id)) {
                try await store.commit([.runFinished(runID: run.id, status: .succeeded)], owner: "dead", now: T.at(31))
            }
            #expect(try await store.heartbeat(owner: "dead", runIDs: [run.id], leaseDuration: .seconds(30), now: T.at(31)) == [run.id])
            #expect(try await store.steps(runID: run.id).isEmpty)
            // The new owner carries on.
            try await store.commit([.runFinished(runID: run.id, status: .succeeded, output: "1")], owner: "alive", now: T.at(32))
            #expect(try await store.run(id: run.id)?.status == .succeeded)
        }
    }

    @Test("heartbeats keep a lease alive and report the leases that were lost", arguments: StoreFactory.all)
    func heartbeat(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let version = try await store.version()
            let mine = try await store.newRun(version, at: T.at(0))
            let theirs = try await store.newRun(version, at: T.at(1))
            _ = try await store.claimOne(owner: "me", at: T.at(2), lease: .seconds(10))
            _ = try await store.claimOne(owner: "them", at: T.at(2), lease: .seconds(10))
            let lost = try await store.heartbeat(
                owner: "me", runIDs: [mine.id, theirs.id, "missing"], leaseDuration: .seconds(10), now: T.at(9))
            #expect(lost == [theirs.id, "missing"])
            let renewed = try #require(try await store.run(id: mine.id))
            #expect(renewed.leaseExpiresAt == T.at(19))
            #expect(renewed.heartbeatAt == T.at(9))
            // Past the original expiry but within the renewed one: nobody can take it.
            let claimed = try await store.claimRuns(owner: "them", limit: 5, leaseDuration: .seconds(10), now: T.at(15))
            #expect(claimed.map(\.id) == [theirs.id])  // theirs expired at 12 and was not renewed
            #expect(try await store.heartbeat(owner: "me", runIDs: [], leaseDuration: .seconds(10), now: T.at(15)).isEmpty)
        }
    }

    @Test("a second process cannot claim a leased run, and takes it over after expiry", arguments: StoreFactory.all)
    func secondProcess(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let first = fixture.store
            let second = try fixture.openAnother()
            let version = try await first.version()
            let run = try await first.newRun(version)
            _ = try await first.claimOne(owner: "process-1", at: T.zero, lease: .seconds(30))
            #expect(try await second.claimRuns(owner: "process-2", limit: 10, leaseDuration: .seconds(30), now: T.at(29)).isEmpty)
            await #expect(throws: StoreError.leaseLost(runID: run.id)) {
                try await second.commit([.stepStarted(runID: run.id, step: StepKey("a"))], owner: "process-2", now: T.at(29))
            }
            let taken = try await second.claimOne(owner: "process-2", at: T.at(31))
            #expect(taken.id == run.id)
            await #expect(throws: StoreError.leaseLost(runID: run.id)) {
                try await first.commit([.stepStarted(runID: run.id, step: StepKey("a"))], owner: "process-1", now: T.at(32))
            }
        }
    }

    @Test("two processes claiming at once never get the same run", arguments: StoreFactory.all)
    func concurrentClaims(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let stores = [fixture.store, try fixture.openAnother()]
            let version = try await fixture.store.version()
            for index in 0..<40 {
                _ = try await fixture.store.newRun(version, at: T.at(Double(index)))
            }
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var mine: [String] = []
                        for _ in 0..<10 {  // bounded: more rounds than runs per worker
                            let runs = try await stores[worker % 2].claimRuns(
                                owner: "worker-\(worker)", limit: 3, leaseDuration: .seconds(60), now: T.at(100))
                            mine += runs.map(\.id)
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claimed.count == 40)
            #expect(Set(claimed).count == 40)
        }
    }

    @Test("a released lease makes the run claimable at once, as queued", arguments: StoreFactory.all)
    func release(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let version = try await store.version()
            let run = try await store.newRun(version)
            _ = try await store.claimOne(owner: "stopping", at: T.zero, lease: .seconds(300))
            try await store.commit(
                [.stepStarted(runID: run.id, step: StepKey("a")), .leaseReleased(runID: run.id)],
                owner: "stopping", now: T.at(1))
            let released = try #require(try await store.run(id: run.id))
            #expect(released.status == .queued)
            #expect(released.leaseOwner == nil && released.leaseExpiresAt == nil)
            let taken = try await store.claimOne(owner: "other", at: T.at(2))
            #expect(taken.id == run.id)
            #expect(taken.startedAt == T.zero)
        }
    }
}

import BatonStore
import Foundation
import Testing

/// Conformance: schedule triggers fire each slot once, even with several processes.
struct TriggerStoreScheduleTests {
    /// A scheduled run of `version` for `slot`, deduplicated per slot.
    private func scheduled(_ version: WorkflowVersion, slot: Date) -> NewRun {
        NewRun(
            workflowVersionID: version.id, triggerKind: .schedule,
            triggerPayload: #"{"scheduled_at":\#(Int(slot.timeIntervalSince1970))}"#,
            idempotencyKey: "schedule#0@\(Int(slot.timeIntervalSince1970))")
    }

    @Test("the first advance records the slot and creates its runs in order", arguments: StoreFactory.all)
    func firstAdvance(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let post = try await store.version("post")
            let digest = try await store.version("digest")
            #expect(try await store.scheduleState(key: "post#0") == nil)
            let results = try #require(try await store.advanceSchedule(
                key: "post#0", expected: nil, lastSlot: T.at(60), nextFireAt: T.at(120),
                runs: [scheduled(post, slot: T.at(60)), scheduled(digest, slot: T.at(60))], now: T.at(61)))
            #expect(results.map(\.isCreated) == [true, true])
            #expect(results.map(\.run.workflowName) == ["post", "digest"])
            #expect(results.allSatisfy { $0.run.status == .queued && $0.run.triggerKind == .schedule && $0.run.createdAt == T.at(61) })
            #expect(try await store.scheduleState(key: "post#0") == ScheduleState(
                key: "post#0", lastSlot: T.at(60), nextFireAt: T.at(120), updatedAt: T.at(61)))
            #expect(try await store.countRuns(filter: RunFilter()) == 2)

            // The next slot, from the state just read.
            let next = try #require(try await store.advanceSchedule(
                key: "post#0", expected: T.at(60), lastSlot: T.at(120), nextFireAt: nil,
                runs: [scheduled(post, slot: T.at(120))], now: T.at(121)))
            #expect(next.map(\.isCreated) == [true])
            #expect(try await store.scheduleState(key: "post#0")?.nextFireAt == nil)
            #expect(try await store.countRuns(filter: RunFilter(triggerKind: .schedule)) == 3)
        }
    }

    @Test("an advance from a stale slot creates nothing and returns nil", arguments: StoreFactory.all)
    func staleAdvance(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let post = try await store.version("post")
            _ = try await store.advanceSchedule(
                key: "post#0", expected: nil, lastSlot: T.at(60), nextFireAt: T.at(120), runs: [scheduled(post, slot: T.at(60))],
                now: T.at(61))
            // Another process fired 60 already: neither "no row yet" nor an older slot matches.
            #expect(try await store.advanceSchedule(
                key: "post#0", expected: nil, lastSlot: T.at(60), nextFireAt: T.at(120), runs: [scheduled(post, slot: T.at(60))],
                now: T.at(62)) == nil)
            #expect(try await store.advanceSchedule(
                key: "post#0", expected: T.zero, lastSlot: T.at(120), nextFireAt: T.at(180), runs: [scheduled(post, slot: T.at(120))],
                now: T.at(121)) == nil)
            // A forgotten schedule has no slot to compare with.
            #expect(try await store.advanceSchedule(
                key: "gone#0", expected: T.at(60), lastSlot: T.at(120), nextFireAt: nil, runs: [scheduled(post, slot: T.at(120))],
                now: T.at(121)) == nil)
            #expect(try await store.scheduleState(key: "post#0") == ScheduleState(
                key: "post#0", lastSlot: T.at(60), nextFireAt: T.at(120), updatedAt: T.at(61)))
            #expect(try await store.scheduleState(key: "gone#0") == nil)
            #expect(try await store.countRuns(filter: RunFilter()) == 1)
        }
    }

    @Test("a slot's runs use createRun's idempotency, and a failing run records nothing", arguments: StoreFactory.all)
    func runsAndAtomicity(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let post = try await store.version("post")
            // The slot's run was already started by hand with the same key.
            let earlier = try await store.createRun(scheduled(post, slot: T.at(60)), now: T.at(59)).run
            let results = try #require(try await store.advanceSchedule(
                key: "post#0", expected: nil, lastSlot: T.at(60), nextFireAt: T.at(120),
                runs: [scheduled(post, slot: T.at(60))], now: T.at(61)))
            #expect(results == [.duplicate(earlier)])

            await #expect(throws: StoreError.workflowVersionNotFound(id: 999)) {
                try await store.advanceSchedule(
                    key: "post#0", expected: T.at(60), lastSlot: T.at(120), nextFireAt: T.at(180),
                    runs: [scheduled(post, slot: T.at(120)), NewRun(workflowVersionID: 999, triggerKind: .schedule)],
                    now: T.at(121))
            }
            #expect(try await store.scheduleState(key: "post#0")?.lastSlot == T.at(60))
            #expect(try await store.countRuns(filter: RunFilter()) == 1)
        }
    }

    @Test("two processes firing the same slots create each slot's run exactly once", arguments: StoreFactory.all)
    func race(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let stores = [fixture.store, try fixture.openAnother()]
            let post = try await fixture.store.version("post")
            let slots = (1...20).map { T.at(Double($0) * 60) }
            let fired = try await withThrowingTaskGroup(of: Int.self) { group in
                for store in stores {
                    group.addTask {
                        var fired = 0
                        for slot in slots {
                            // Each process reads the state, then tries to move it on, as a scheduler does.
                            let expected = try await store.scheduleState(key: "post#0")?.lastSlot
                            guard expected == nil || expected! < slot else { continue }
                            // No idempotency key: only the compare-and-set keeps a slot from firing twice.
                            let results = try await store.advanceSchedule(
                                key: "post#0", expected: expected, lastSlot: slot, nextFireAt: slot.addingTimeInterval(60),
                                runs: [NewRun(workflowVersionID: post.id, triggerKind: .schedule, triggerPayload: "\(slot.timeIntervalSince1970)")],
                                now: slot)
                            fired += results?.count ?? 0
                        }
                        return fired
                    }
                }
                return try await group.reduce(0, +)
            }
            let runs = try await fixture.store.listRuns(filter: RunFilter(), limit: 100, after: nil).runs
            #expect(runs.count == fired)
            #expect(!runs.isEmpty)
            #expect(Set(runs.map(\.triggerPayload)).count == runs.count)
            #expect(try await fixture.store.scheduleState(key: "post#0")?.lastSlot == slots.last)
        }
    }

    @Test("two processes racing on one slot: exactly one creates its run", arguments: StoreFactory.all)
    func raceOnOneSlot(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let stores = [fixture.store, try fixture.openAnother()]
            let post = try await fixture.store.version("post")
            for round in 0..<10 {
                let key = "post#\(round)"
                let results = try await withThrowingTaskGroup(of: [CreateRunResult]?.self) { group in
                    for index in 0..<4 {
                        group.addTask {
                            try await stores[index % 2].advanceSchedule(
                                key: key, expected: nil, lastSlot: T.at(60), nextFireAt: T.at(120),
                                runs: [NewRun(workflowVersionID: post.id, triggerKind: .schedule)], now: T.at(60))
                        }
                    }
                    return try await group.reduce(into: [[CreateRunResult]?]()) { $0.append($1) }
                }
                #expect(results.compactMap { $0 }.count == 1)
            }
            #expect(try await fixture.store.countRuns(filter: RunFilter()) == 10)
        }
    }

    @Test("forgetting schedules removes only the removed triggers' state under the prefix", arguments: StoreFactory.all)
    func forget(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            // `_` and `%` in keys are plain characters, not patterns.
            let keys = ["post#0", "post#1", "post#2", "postal#0", "x_y#0", "xzy#0", "50%#0", "500#0"]
            for key in keys {
                _ = try await store.advanceSchedule(key: key, expected: nil, lastSlot: T.at(60), nextFireAt: nil, runs: [], now: T.at(60))
            }
            #expect(try await store.forgetSchedules(prefix: "post#", keep: ["post#0", "postal#0"]) == 2)
            #expect(try await store.forgetSchedules(prefix: "x_y#", keep: []) == 1)
            #expect(try await store.forgetSchedules(prefix: "50%", keep: []) == 1)
            #expect(try await store.forgetSchedules(prefix: "post#", keep: ["post#0"]) == 0)
            var remaining: [String] = []
            for key in keys where try await store.scheduleState(key: key) != nil {
                remaining.append(key)
            }
            #expect(remaining == ["post#0", "postal#0", "xzy#0", "500#0"])
            // A forgotten trigger starts again from no state.
            #expect(try await store.advanceSchedule(key: "post#1", expected: nil, lastSlot: T.at(120), nextFireAt: nil, runs: [], now: T.at(120)) == [])
        }
    }
}

import BatonStore
import Foundation
import Testing

/// Conformance: poll triggers start one run per new item, remembering a bounded set of item keys.
struct TriggerStorePollTests {
    /// Items with these keys, each starting a run of `version` unless `version` is nil.
    private func items(_ keys: [String], _ version: WorkflowVersion?) -> [PollItem] {
        keys.map { key in
            PollItem(key: key, run: version.map {
                NewRun(workflowVersionID: $0.id, triggerKind: .poll, triggerPayload: #"{"id":"\#(key)"}"#)
            })
        }
    }

    @Test("the first poll records every item; later polls start runs only for new ones", arguments: StoreFactory.all)
    func newItems(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let feed = try await store.version("feed")
            let before = try await store.pollState(key: "feed#0")
            #expect(before == nil)

            let first = try await store.recordPoll(key: "feed#0", items: items(["a", "b", "c"], feed), keepAtMost: 100, now: T.at(10))
            #expect(first.map(\.key) == ["a", "b", "c"])
            #expect(first.allSatisfy { $0.result?.isCreated == true && $0.result?.run.triggerKind == .poll })
            #expect(try await store.pollState(key: "feed#0") == PollState(
                key: "feed#0", initializedAt: T.at(10), lastPolledAt: T.at(10), seenCount: 3))

            let second = try await store.recordPoll(
                key: "feed#0", items: items(["d", "b", "e", "a"], feed), keepAtMost: 100, now: T.at(20))
            #expect(second.map(\.key) == ["d", "e"])
            #expect(second.compactMap { $0.result?.run.triggerPayload } == [#"{"id":"d"}"#, #"{"id":"e"}"#])
            #expect(try await store.pollState(key: "feed#0") == PollState(
                key: "feed#0", initializedAt: T.at(10), lastPolledAt: T.at(20), seenCount: 5))
            // Nothing new: still marked as polled.
            #expect(try await store.recordPoll(key: "feed#0", items: items(["a", "e"], feed), keepAtMost: 100, now: T.at(30)).isEmpty)
            #expect(try await store.pollState(key: "feed#0")?.lastPolledAt == T.at(30))
            #expect(try await store.countRuns(filter: RunFilter(triggerKind: .poll)) == 5)
            // Triggers do not share seen keys.
            #expect(try await store.recordPoll(key: "other#0", items: items(["a"], feed), keepAtMost: 100, now: T.at(30)).map(\.key) == ["a"])
        }
    }

    @Test("items without a run are remembered without starting anything", arguments: StoreFactory.all)
    func baseline(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let feed = try await store.version("feed")
            // A trigger's first poll typically records the existing items as a baseline.
            let baseline = try await store.recordPoll(key: "feed#0", items: items(["a", "b"], nil), keepAtMost: 10, now: T.at(1))
            #expect(baseline == [PollOutcome(key: "a", result: nil), PollOutcome(key: "b", result: nil)])
            #expect(try await store.pollState(key: "feed#0")?.seenCount == 2)
            #expect(try await store.countRuns(filter: RunFilter()) == 0)
            let next = try await store.recordPoll(key: "feed#0", items: items(["c", "b", "a"], feed), keepAtMost: 10, now: T.at(2))
            #expect(next.map(\.key) == ["c"])
            #expect(try await store.countRuns(filter: RunFilter()) == 1)
        }
    }

    @Test("an item repeated in one poll counts once, the first occurrence winning", arguments: StoreFactory.all)
    func repeatedInOnePoll(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let feed = try await store.version("feed")
            let polled = [
                PollItem(key: "a", run: NewRun(workflowVersionID: feed.id, triggerKind: .poll, triggerPayload: "1")),
                PollItem(key: "b", run: nil),
                PollItem(key: "a", run: NewRun(workflowVersionID: feed.id, triggerKind: .poll, triggerPayload: "2")),
            ]
            let outcomes = try await store.recordPoll(key: "feed#0", items: polled, keepAtMost: 10, now: T.at(1))
            #expect(outcomes.map(\.key) == ["a", "b"])
            #expect(outcomes.first?.result?.run.triggerPayload == "1")
            #expect(try await store.countRuns(filter: RunFilter()) == 1)
            #expect(try await store.pollState(key: "feed#0")?.seenCount == 2)
        }
    }

    @Test("the store keeps at most keepAtMost keys, forgetting the least recently seen first", arguments: StoreFactory.all)
    func trimming(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let feed = try await store.version("feed")
            _ = try await store.recordPoll(key: "feed#0", items: items(["a", "b", "c"], feed), keepAtMost: 3, now: T.at(1))
            // "a" is still in the feed, "b" and "c" left it; "d" is new.
            let second = try await store.recordPoll(key: "feed#0", items: items(["a", "d"], feed), keepAtMost: 3, now: T.at(2))
            #expect(second.map(\.key) == ["d"])
            #expect(try await store.pollState(key: "feed#0")?.seenCount == 3)
            // "b" was forgotten, so it is new again; "a", "c" and "d" are still known.
            let third = try await store.recordPoll(key: "feed#0", items: items(["c", "a", "d", "b"], feed), keepAtMost: 3, now: T.at(3))
            #expect(third.map(\.key) == ["b"])
            // Shrinking the bound trims at once, keeping the most recently seen.
            let fourth = try await store.recordPoll(key: "feed#0", items: items(["d"], feed), keepAtMost: 1, now: T.at(4))
            #expect(fourth.isEmpty)
            #expect(try await store.pollState(key: "feed#0")?.seenCount == 1)
            #expect(try await store.recordPoll(key: "feed#0", items: items(["b", "d"], feed), keepAtMost: 1, now: T.at(5)).map(\.key) == ["b"])
            #expect(try await store.countRuns(filter: RunFilter()) == 6)

            await #expect(throws: StoreError.self) {
                try await store.recordPoll(key: "feed#0", items: items(["x"], feed), keepAtMost: 0, now: T.at(6))
            }
        }
    }

    @Test("a poll is recorded whole or not at all, and new items reuse createRun's idempotency", arguments: StoreFactory.all)
    func atomicityAndIdempotency(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let feed = try await store.version("feed")
            let broken = [
                PollItem(key: "a", run: NewRun(workflowVersionID: feed.id, triggerKind: .poll)),
                PollItem(key: "b", run: NewRun(workflowVersionID: 999, triggerKind: .poll)),
            ]
            await #expect(throws: StoreError.workflowVersionNotFound(id: 999)) {
                try await store.recordPoll(key: "feed#0", items: broken, keepAtMost: 10, now: T.at(1))
            }
            let after = try await store.pollState(key: "feed#0")
            #expect(after == nil)
            #expect(try await store.countRuns(filter: RunFilter()) == 0)

            let earlier = try await store.createRun(
                NewRun(workflowVersionID: feed.id, triggerKind: .manual, idempotencyKey: "item-a"), now: T.at(2)).run
            let outcomes = try await store.recordPoll(
                key: "feed#0",
                items: [PollItem(key: "a", run: NewRun(workflowVersionID: feed.id, triggerKind: .poll, idempotencyKey: "item-a"))],
                keepAtMost: 10, now: T.at(3))
            #expect(outcomes == [PollOutcome(key: "a", result: .duplicate(earlier))])
        }
    }

    @Test("two processes recording the same poll start each new item's run once", arguments: StoreFactory.all)
    func race(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let stores = [fixture.store, try fixture.openAnother()]
            let feed = try await fixture.store.version("feed")
            let keys = (0..<30).map { "item-\($0)" }
            let outcomes = try await withThrowingTaskGroup(of: [PollOutcome].self) { group in
                for index in 0..<4 {
                    group.addTask {
                        // Overlapping windows of the same feed.
                        let window = Array(keys[(index * 5)..<(index * 5 + 15)])
                        return try await stores[index % 2].recordPoll(
                            key: "feed#0", items: items(window, feed), keepAtMost: 100, now: T.at(Double(index)))
                    }
                }
                return try await group.reduce(into: [PollOutcome]()) { $0 += $1 }
            }
            #expect(outcomes.count == 30)
            #expect(Set(outcomes.map(\.key)).count == 30)
            #expect(try await fixture.store.countRuns(filter: RunFilter()) == 30)
        }
    }
}

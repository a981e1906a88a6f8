import BatonStore
import Foundation
import Testing

/// Conformance: `wait_for` steps subscribed to events, and delivering an event to them.
struct TriggerStoreEventTests {
    /// Creates a run, claims it for "w" and parks it on `step` waiting for `event` until `timeout`; returns the run.
    private func parkedOnEvent(
        _ store: any RunStore & TriggerStore, event: String = "approval", step: StepKey = StepKey("approve"),
        at now: Date = T.at(1), timeout: Date = T.at(86_400)
    ) async throws -> Run {
        let run = try await store.newRun(try await store.version(), at: now)
        _ = try await store.claimRuns(owner: "w", limit: 10, leaseDuration: .seconds(30), now: now)
        try await store.commit(
            [.stepStarted(runID: run.id, step: step),
             .stepWaiting(runID: run.id, step: step, wakeAt: timeout, event: event),
             .runParked(runID: run.id, wakeAt: timeout)],
            owner: "w", now: now)
        return run
    }

    @Test("a parked wait_for step is listed by event and by run", arguments: StoreFactory.all)
    func listing(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let first = try await parkedOnEvent(store, at: T.at(1))
            let item = StepKey("approve", item: 2)
            let second = try await parkedOnEvent(store, step: item, at: T.at(2))
            let third = try await parkedOnEvent(store, at: T.at(3))
            let other = try await parkedOnEvent(store, event: "payment", at: T.at(4))

            let waits = try await store.eventWaits(event: "approval", limit: 10)
            #expect(waits == [
                EventWait(runID: first.id, step: StepKey("approve"), event: "approval", since: T.at(1)),
                EventWait(runID: second.id, step: item, event: "approval", since: T.at(2)),
                EventWait(runID: third.id, step: StepKey("approve"), event: "approval", since: T.at(3)),
            ])
            #expect(try await store.eventWaits(event: "approval", limit: 2) == Array(waits.prefix(2)))
            #expect(try await store.eventWaits(event: "approval", limit: 0).isEmpty)
            #expect(try await store.eventWaits(event: "unknown", limit: 10).isEmpty)
            #expect(try await store.eventWaits(runID: other.id) == [
                EventWait(runID: other.id, step: StepKey("approve"), event: "payment", since: T.at(4))
            ])
            #expect(try await store.eventWaits(runID: "missing").isEmpty)
            let step = try #require(try await store.steps(runID: second.id).first)
            #expect(step.status == .waiting)
            #expect(step.awaitingEvent == "approval")
            #expect(step.eventDeliveredAt == nil)
            #expect(step.wakeAt == T.at(86_400))
        }
    }

    @Test("an event is delivered once, wakes the run at once, and its payload survives a restart of the step", arguments: StoreFactory.all)
    func delivery(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let run = try await parkedOnEvent(store)
            let wait = try #require(try await store.eventWaits(runID: run.id).first)
            #expect(try await store.claimRuns(owner: "w2", limit: 5, leaseDuration: .seconds(30), now: T.at(10)).isEmpty)

            #expect(try await store.deliverEvent(wait, payload: #"{"approved":true}"#, now: T.at(10)))
            #expect(try await !store.deliverEvent(wait, payload: #"{"approved":false}"#, now: T.at(11)))
            #expect(try await store.eventWaits(event: "approval", limit: 10).isEmpty)
            #expect(try await store.eventWaits(runID: run.id).isEmpty)
            #expect(try await store.nextWakeTime() == T.at(10))
            let delivered = try #require(try await store.steps(runID: run.id).first)
            #expect(delivered.status == .waiting)
            #expect(delivered.output == #"{"approved":true}"#)
            #expect(delivered.awaitingEvent == nil)
            #expect(delivered.eventDeliveredAt == T.at(10))
            #expect(delivered.wakeAt == T.at(10))
            #expect(try await store.run(id: run.id)?.updatedAt == T.at(10))

            // Claimable at once, long before the wait's timeout.
            let woken = try await store.claimRuns(owner: "w2", limit: 5, leaseDuration: .seconds(30), now: T.at(11))
            #expect(woken.map(\.id) == [run.id])
            // A worker resuming after a crash may start the step again: the payload stays.
            try await store.commit([.stepStarted(runID: run.id, step: wait.step)], owner: "w2", now: T.at(12))
            try await store.commit([.stepStarted(runID: run.id, step: wait.step)], owner: "w2", now: T.at(13))
            let restarted = try #require(try await store.steps(runID: run.id).first)
            #expect(restarted.status == .running)
            #expect(restarted.output == #"{"approved":true}"#)
            try await store.commit(
                [.stepFinished(runID: run.id, step: wait.step, status: .succeeded, output: restarted.output),
                 .runFinished(runID: run.id, status: .succeeded)],
                owner: "w2", now: T.at(14))
            let finished = try #require(try await store.steps(runID: run.id).first)
            #expect(finished.status == .succeeded)
            #expect(finished.output == #"{"approved":true}"#)
            #expect(try await !store.deliverEvent(wait, payload: "{}", now: T.at(15)))
        }
    }

    @Test("an event is refused by a step that timed out, a cancelled run, or a run a worker holds", arguments: StoreFactory.all)
    func refusals(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            // Timed out: the worker woken by the timer fails the step.
            let timedOut = try await parkedOnEvent(store, at: T.at(1), timeout: T.at(60))
            let timedOutWait = try #require(try await store.eventWaits(runID: timedOut.id).first)
            _ = try await store.claimOne(owner: "w2", at: T.at(60))
            try await store.commit(
                [.stepFinished(runID: timedOut.id, step: timedOutWait.step, status: .failed, error: "timed out waiting for approval")],
                owner: "w2", now: T.at(61))
            #expect(try await store.eventWaits(runID: timedOut.id).isEmpty)
            #expect(try await !store.deliverEvent(timedOutWait, payload: "{}", now: T.at(62)))
            #expect(try await store.steps(runID: timedOut.id).first?.output == nil)

            // Cancelled while waiting.
            let cancelled = try await parkedOnEvent(store, at: T.at(2))
            let cancelledWait = try #require(try await store.eventWaits(runID: cancelled.id).first)
            _ = try await store.cancelRun(id: cancelled.id, reason: "no longer needed", now: T.at(70))
            #expect(try await store.eventWaits(runID: cancelled.id).isEmpty)
            #expect(try await store.eventWaits(event: "approval", limit: 10).isEmpty)
            #expect(try await !store.deliverEvent(cancelledWait, payload: "{}", now: T.at(71)))
            #expect(try await store.steps(runID: cancelled.id).first?.awaitingEvent == nil)

            // Subscribed, but the worker has not parked the run yet: it owns the step row.
            let held = try await store.newRun(try await store.version(), at: T.at(80))
            _ = try await store.claimOne(owner: "w3", at: T.at(80))
            try await store.commit(
                [.stepWaiting(runID: held.id, step: StepKey("approve"), wakeAt: T.at(200), event: "approval")], owner: "w3", now: T.at(81))
            let heldWait = try #require(try await store.eventWaits(runID: held.id).first)
            #expect(try await !store.deliverEvent(heldWait, payload: "{}", now: T.at(82)))
            // A wait for another event does not match the step.
            try await store.commit([.runParked(runID: held.id, wakeAt: T.at(200))], owner: "w3", now: T.at(83))
            var wrongEvent = heldWait
            wrongEvent.event = "payment"
            #expect(try await !store.deliverEvent(wrongEvent, payload: "{}", now: T.at(84)))
            #expect(try await store.deliverEvent(heldWait, payload: "{}", now: T.at(85)))
        }
    }

    @Test("restarting a waiting step ends its subscription; waiting again renews it", arguments: StoreFactory.all)
    func resubscribe(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let run = try await store.newRun(try await store.version())
            let step = StepKey("approve")
            _ = try await store.claimOne(owner: "w", at: T.at(1))
            try await store.commit([.stepWaiting(runID: run.id, step: step, wakeAt: T.at(600), event: "approval")], owner: "w", now: T.at(1))
            // Repeating the same wait keeps the time it began.
            try await store.commit([.stepWaiting(runID: run.id, step: step, wakeAt: T.at(600), event: "approval")], owner: "w", now: T.at(2))
            #expect(try await store.eventWaits(runID: run.id).map(\.since) == [T.at(1)])
            try await store.commit([.stepStarted(runID: run.id, step: step)], owner: "w", now: T.at(3))
            #expect(try await store.eventWaits(runID: run.id).isEmpty)
            #expect(try await store.steps(runID: run.id).first?.awaitingEvent == nil)
            try await store.commit(
                [.stepWaiting(runID: run.id, step: step, wakeAt: T.at(600), event: "approval"), .runParked(runID: run.id, wakeAt: T.at(600))],
                owner: "w", now: T.at(4))
            #expect(try await store.eventWaits(event: "approval", limit: 5).map(\.since) == [T.at(4)])
            // A plain timer wait has no subscription.
            let timer = try await store.newRun(try await store.version(), at: T.at(5))
            _ = try await store.claimOne(owner: "w", at: T.at(5))
            try await store.commit(
                [.stepWaiting(runID: timer.id, step: StepKey("delay"), wakeAt: T.at(600)), .runParked(runID: timer.id, wakeAt: T.at(600))],
                owner: "w", now: T.at(5))
            #expect(try await store.eventWaits(runID: timer.id).isEmpty)
            #expect(try await store.steps(runID: timer.id).first?.awaitingEvent == nil)
        }
    }

    @Test("two processes delivering the same event to one step: exactly one succeeds", arguments: StoreFactory.all)
    func race(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let stores = [fixture.store, try fixture.openAnother()]
            let run = try await parkedOnEvent(fixture.store)
            let wait = try #require(try await fixture.store.eventWaits(runID: run.id).first)
            let delivered = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<8 {
                    group.addTask { try await stores[index % 2].deliverEvent(wait, payload: "\(index)", now: T.at(10)) }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(delivered.filter { $0 }.count == 1)
            let output = try #require(try await fixture.store.steps(runID: run.id).first?.output)
            #expect(Int(output).map { (0..<8).contains($0) } == true)
        }
    }
}

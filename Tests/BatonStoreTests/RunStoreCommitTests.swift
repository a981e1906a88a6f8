import BatonStore
import Foundation
import Testing

/// Conformance: checkpoints (steps, attempts, run transitions), their guards and atomicity.
struct RunStoreCommitTests {
    @Test("a step's start, attempts and result are recorded", arguments: StoreFactory.all)
    func stepLifecycle(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let run = try await store.newRun(try await store.version())
            _ = try await store.claimOne(owner: "w")
            let step = StepKey("shorten")
            try await store.commit([.stepStarted(runID: run.id, step: step, input: #"{"url":"u"}"#)], owner: "w", now: T.at(1))
            let failed = NewAttempt(
                number: 1, startedAt: T.at(1), duration: .milliseconds(250), requestSummary: #"{"method":"POST"}"#,
                responseStatus: 503, responseHeaders: #"{"retry-after":"1"}"#, responseBody: "busy", error: "HTTP 503")
            try await store.commit([.attemptRecorded(runID: run.id, step: step, attempt: failed)], owner: "w", now: T.at(2))
            #expect(try await store.steps(runID: run.id).first?.attemptCount == 1)
            let succeeded = NewAttempt(number: 2, startedAt: T.at(3), duration: .microseconds(1500), responseStatus: 201)
            try await store.commit(
                [.stepFinished(runID: run.id, step: step, status: .succeeded, output: #"{"short":"s"}"#, attempts: [succeeded])],
                owner: "w", now: T.at(4))

            let steps = try await store.steps(runID: run.id)
            #expect(steps.count == 1)
            let recorded = try #require(steps.first)
            #expect(recorded.key == step)
            #expect(recorded.status == .succeeded)
            #expect(recorded.input == #"{"url":"u"}"#)
            #expect(recorded.output == #"{"short":"s"}"#)
            #expect(recorded.error == nil)
            #expect(recorded.startedAt == T.at(1))
            #expect(recorded.finishedAt == T.at(4))
            #expect(recorded.attemptCount == 2)
            let attempts = try await store.attempts(runID: run.id)
            #expect(attempts == [
                Attempt(runID: run.id, key: step, attempt: failed),
                Attempt(runID: run.id, key: step, attempt: succeeded),
            ])
        }
    }

    @Test("for_each items are separate step executions", arguments: StoreFactory.all)
    func forEachItems(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let run = try await store.newRun(try await store.version())
            _ = try await store.claimOne(owner: "w")
            var changes: [RunChange] = [.stepStarted(runID: run.id, step: StepKey("post"))]
            for item in 0..<3 {
                changes.append(.stepStarted(runID: run.id, step: StepKey("post", item: item)))
            }
            try await store.commit(changes, owner: "w", now: T.at(1))
            try await store.commit(
                [
                    .stepFinished(runID: run.id, step: StepKey("post", item: 1), status: .failed, error: "boom",
                                  attempts: [NewAttempt(number: 1, startedAt: T.at(1), error: "boom")]),
                    .stepFinished(runID: run.id, step: StepKey("post", item: 0), status: .succeeded, output: "0"),
                ],
                owner: "w", now: T.at(2))
            let steps = try await store.steps(runID: run.id)
            #expect(steps.map(\.key) == [StepKey("post"), StepKey("post", item: 0), StepKey("post", item: 1), StepKey("post", item: 2)])
            #expect(steps.map(\.status) == [.running, .succeeded, .failed, .running])
            #expect(try await store.attempts(runID: run.id).map(\.key) == [StepKey("post", item: 1)])
        }
    }

    @Test("after a crash a running step may start again, and a re-recorded attempt replaces the first", arguments: StoreFactory.all)
    func atLeastOnce(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let run = try await store.newRun(try await store.version())
            let step = StepKey("call")
            _ = try await store.claimOne(owner: "first", at: T.zero, lease: .seconds(10))
            try await store.commit(
                [.stepStarted(runID: run.id, step: step, input: "1"),
                 .attemptRecorded(runID: run.id, step: step, attempt: NewAttempt(number: 1, startedAt: T.at(1), error: "timeout"))],
                owner: "first", now: T.at(1))
            // "first" dies; "second" takes over and resumes the step.
            _ = try await store.claimOne(owner: "second", at: T.at(11))
            try await store.commit([.stepStarted(runID: run.id, step: step, input: "2")], owner: "second", now: T.at(12))
            try await store.commit(
                [.attemptRecorded(runID: run.id, step: step, attempt: NewAttempt(number: 1, startedAt: T.at(12), error: "again"))],
                owner: "second", now: T.at(13))
            let recorded = try #require(try await store.steps(runID: run.id).first)
            #expect(recorded.status == .running)
            #expect(recorded.input == "2")
            #expect(recorded.startedAt == T.at(1))
            #expect(recorded.attemptCount == 1)
            #expect(try await store.attempts(runID: run.id).map(\.attempt.error) == ["again"])
        }
    }

    @Test("a finished run cannot change, and says why", arguments: StoreFactory.all)
    func guardedRunTransitions(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let run = try await store.newRun(try await store.version())
            _ = try await store.claimOne(owner: "w")
            try await store.commit(
                [.runFinished(runID: run.id, status: .failed, output: nil, error: "step post failed: HTTP 500")],
                owner: "w", now: T.at(5))
            let finished = try #require(try await store.run(id: run.id))
            #expect(finished.status == .failed)
            #expect(finished.error == "step post failed: HTTP 500")
            #expect(finished.finishedAt == T.at(5))
            #expect(finished.leaseOwner == nil)
            await #expect(throws: StoreError.invalidTransition(runID: run.id, from: .failed, to: .succeeded)) {
                try await store.commit([.runFinished(runID: run.id, status: .succeeded)], owner: "w", now: T.at(6))
            }
            await #expect(throws: StoreError.invalidTransition(runID: run.id, from: .failed, to: .running)) {
                try await store.commit([.stepStarted(runID: run.id, step: StepKey("a"))], owner: "w", now: T.at(6))
            }
            // A queued run that nobody claimed cannot be changed either.
            let queued = try await store.newRun(try await store.version(), at: T.at(7))
            await #expect(throws: StoreError.leaseLost(runID: queued.id)) {
                try await store.commit([.runFinished(runID: queued.id, status: .succeeded)], owner: "w", now: T.at(8))
            }
            await #expect(throws: StoreError.notFound(runID: "missing")) {
                try await store.commit([.leaseReleased(runID: "missing")], owner: "w", now: T.at(8))
            }
            #expect(try await store.claimRuns(owner: "x", limit: 5, leaseDuration: .seconds(1), now: T.at(9)).map(\.id) == [queued.id])
        }
    }

    @Test("a finished step cannot change, and malformed checkpoints are refused", arguments: StoreFactory.all)
    func guardedStepTransitions(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let run = try await store.newRun(try await store.version())
            _ = try await store.claimOne(owner: "w")
            let step = StepKey("a")
            try await store.commit([.stepFinished(runID: run.id, step: step, status: .skipped)], owner: "w", now: T.at(1))
            #expect(try await store.steps(runID: run.id).first?.startedAt == nil)
            await #expect(throws: StoreError.invalidStepTransition(runID: run.id, step: step, from: .skipped, to: .running)) {
                try await store.commit([.stepStarted(runID: run.id, step: step)], owner: "w", now: T.at(2))
            }
            await #expect(throws: StoreError.invalidStepTransition(runID: run.id, step: step, from: .skipped, to: .succeeded)) {
                try await store.commit([.stepFinished(runID: run.id, step: step, status: .succeeded)], owner: "w", now: T.at(2))
            }
            await #expect(throws: StoreError.invalidStepTransition(runID: run.id, step: step, from: .skipped, to: .running)) {
                try await store.commit(
                    [.attemptRecorded(runID: run.id, step: step, attempt: NewAttempt(number: 1, startedAt: T.at(2)))],
                    owner: "w", now: T.at(2))
            }
            await #expect(throws: StoreError.self) {
                try await store.commit([.stepFinished(runID: run.id, step: StepKey("b"), status: .running)], owner: "w", now: T.at(2))
            }
            await #expect(throws: StoreError.self) {
                try await store.commit([.runFinished(runID: run.id, status: .waiting)], owner: "w", now: T.at(2))
            }
            await #expect(throws: StoreError.self) {
                try await store.commit(
                    [.leaseReleased(runID: run.id), .stepStarted(runID: run.id, step: StepKey("b"))], owner: "w", now: T.at(2))
            }
            #expect(try await store.attempts(runID: run.id).isEmpty)
            #expect(try await store.steps(runID: run.id).count == 1)
            #expect(try await store.run(id: run.id)?.status == .running)
        }
    }

    @Test("all changes of one commit apply together or not at all", arguments: StoreFactory.all)
    func atomicity(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let version = try await store.version()
            let mine = try await store.newRun(version, at: T.at(0))
            let theirs = try await store.newRun(version, at: T.at(1))
            _ = try await store.claimOne(owner: "me")
            _ = try await store.claimOne(owner: "them")
            try await store.commit([.stepFinished(runID: mine.id, step: StepKey("done"), status: .succeeded)], owner: "me", now: T.at(1))
            await #expect(throws: StoreError.invalidStepTransition(runID: mine.id, step: StepKey("done"), from: .succeeded, to: .running)) {
                try await store.commit(
                    [.stepStarted(runID: mine.id, step: StepKey("next")),
                     .attemptRecorded(runID: mine.id, step: StepKey("next"), attempt: NewAttempt(number: 1, startedAt: T.at(2))),
                     .stepStarted(runID: mine.id, step: StepKey("done")),
                     .runFinished(runID: mine.id, status: .succeeded)],
                    owner: "me", now: T.at(2))
            }
            // A commit spanning two runs fails whole when the second run is not ours.
            await #expect(throws: StoreError.leaseLost(runID: theirs.id)) {
                try await store.commit(
                    [.stepStarted(runID: mine.id, step: StepKey("other")), .stepStarted(runID: theirs.id, step: StepKey("x"))],
                    owner: "me", now: T.at(2))
            }
            #expect(try await store.steps(runID: mine.id).map(\.key) == [StepKey("done")])
            #expect(try await store.attempts(runID: mine.id).isEmpty)
            #expect(try await store.steps(runID: theirs.id).isEmpty)
            #expect(try await store.run(id: mine.id)?.status == .running)
        }
    }

    @Test("a parked run sleeps on a durable timer and is claimed again when it is due", arguments: StoreFactory.all)
    func timers(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let version = try await store.version()
            let run = try await store.newRun(version)
            let later = try await store.newRun(version, at: T.at(1))
            _ = try await store.claimOne(owner: "w", at: T.at(2), lease: .seconds(30))
            _ = try await store.claimOne(owner: "w", at: T.at(2), lease: .seconds(30))
            #expect(try await store.nextWakeTime() == nil)
            let wait = StepKey("delay")
            try await store.commit(
                [.stepStarted(runID: run.id, step: wait), .stepWaiting(runID: run.id, step: wait, wakeAt: T.at(3600)),
                 .runParked(runID: run.id, wakeAt: T.at(3600))],
                owner: "w", now: T.at(3))
            try await store.commit([.runParked(runID: later.id, wakeAt: T.at(600))], owner: "w", now: T.at(3))
            let parked = try #require(try await store.run(id: run.id))
            #expect(parked.status == .waiting)
            #expect(parked.wakeAt == T.at(3600))
            #expect(parked.leaseOwner == nil && parked.leaseExpiresAt == nil)
            #expect(try await store.steps(runID: run.id).first?.status == .waiting)
            #expect(try await store.steps(runID: run.id).first?.wakeAt == T.at(3600))
            #expect(try await store.nextWakeTime() == T.at(600))
            // Not due yet, even long after the lease would have expired.
            #expect(try await store.claimRuns(owner: "w2", limit: 5, leaseDuration: .seconds(30), now: T.at(599)).isEmpty)
            #expect(try await store.claimRuns(owner: "w2", limit: 5, leaseDuration: .seconds(30), now: T.at(600)).map(\.id) == [later.id])
            try await store.commit([.runFinished(runID: later.id, status: .succeeded)], owner: "w2", now: T.at(601))
            #expect(try await store.nextWakeTime() == T.at(3600))
            // The process restarts: a new store on the same database still knows the timer.
            let restarted = try fixture.openAnother()
            let woken = try await restarted.claimRuns(owner: "w3", limit: 5, leaseDuration: .seconds(30), now: T.at(3600))
            #expect(woken.map(\.id) == [run.id])
            #expect(woken.first?.status == .running)
            #expect(woken.first?.wakeAt == nil)
            #expect(woken.first?.claimCount == 2)
            try await restarted.commit(
                [.stepFinished(runID: run.id, step: wait, status: .succeeded), .runFinished(runID: run.id, status: .succeeded)],
                owner: "w3", now: T.at(3601))
            #expect(try await store.steps(runID: run.id).first?.wakeAt == nil)
            #expect(try await store.run(id: run.id)?.status == .succeeded)
            #expect(try await store.nextWakeTime() == nil)
        }
    }

    @Test("a woken run may restart its waiting step, and checkpoints of a parked run are refused", arguments: StoreFactory.all)
    func wakeAndRestart(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let run = try await store.newRun(try await store.version())
            let wait = StepKey("approval")
            _ = try await store.claimOne(owner: "w", at: T.zero)
            try await store.commit(
                [.stepWaiting(runID: run.id, step: wait, wakeAt: T.at(60)), .runParked(runID: run.id, wakeAt: T.at(60))],
                owner: "w", now: T.at(1))
            #expect(try await store.steps(runID: run.id).first?.startedAt == T.at(1))
            // The worker that parked it no longer holds it.
            await #expect(throws: StoreError.leaseLost(runID: run.id)) {
                try await store.commit([.stepFinished(runID: run.id, step: wait, status: .succeeded)], owner: "w", now: T.at(2))
            }
            _ = try await store.claimOne(owner: "w2", at: T.at(60))
            try await store.commit([.stepStarted(runID: run.id, step: wait, input: "again")], owner: "w2", now: T.at(61))
            let restarted = try #require(try await store.steps(runID: run.id).first)
            #expect(restarted.status == .running)
            #expect(restarted.wakeAt == nil)
            #expect(restarted.startedAt == T.at(1))
        }
    }
}

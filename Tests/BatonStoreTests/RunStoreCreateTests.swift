import BatonStore
import Foundation
import Testing

/// Conformance: workflow versions and run creation, including idempotency keys.
struct RunStoreCreateTests {
    @Test("saving a workflow version is idempotent on name and hash", arguments: StoreFactory.all)
    func workflowVersions(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let first = try await store.saveWorkflowVersion(name: "post", hash: "aaa", source: "v1", now: T.zero)
            let again = try await store.saveWorkflowVersion(name: "post", hash: "aaa", source: "v1", now: T.at(60))
            let second = try await store.saveWorkflowVersion(name: "post", hash: "bbb", source: "v2", now: T.at(120))
            let other = try await store.saveWorkflowVersion(name: "other", hash: "aaa", source: "v1", now: T.at(120))
            #expect(again == first)
            #expect(first.createdAt == T.zero)
            #expect(Set([first.id, second.id, other.id]).count == 3)
            #expect(try await store.workflowVersion(id: second.id) == second)
            #expect(try await store.workflowVersion(id: 999_999) == nil)
        }
    }

    @Test("a created run is queued, durable and reads back unchanged", arguments: StoreFactory.all)
    func createAndRead(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let version = try await store.version()
            let result = try await store.createRun(
                NewRun(workflowVersionID: version.id, triggerKind: .webhook, triggerPayload: #"{"body":{}}"#,
                       inputs: #"{"x":1}"#, idempotencyKey: "delivery-1"),
                now: T.at(1.25))
            #expect(result.isCreated)
            let run = result.run
            #expect(run.id.count == 26)
            #expect(run.status == .queued)
            #expect(run.workflowName == "crosspost")
            #expect(run.workflowVersionID == version.id)
            #expect(run.triggerKind == .webhook)
            #expect(run.triggerPayload == #"{"body":{}}"#)
            #expect(run.inputs == #"{"x":1}"#)
            #expect(run.idempotencyKey == "delivery-1")
            #expect(run.createdAt == T.at(1.25))
            #expect(run.startedAt == nil && run.finishedAt == nil && run.leaseOwner == nil)
            #expect(run.claimCount == 0)
            #expect(try await store.run(id: run.id) == run)
            // A second store on the same database sees it: it is committed.
            #expect(try await fixture.openAnother().run(id: run.id) == run)
            #expect(try await store.run(id: "nope") == nil)
        }
    }

    @Test("an idempotency key seen before for the workflow returns the first run", arguments: StoreFactory.all)
    func idempotency(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let v1 = try await store.version("post", hash: "h1")
            let v2 = try await store.version("post", hash: "h2")
            let other = try await store.version("other")
            let first = try await store.createRun(NewRun(workflowVersionID: v1.id, triggerKind: .webhook, idempotencyKey: "k"), now: T.zero)
            let again = try await store.createRun(NewRun(workflowVersionID: v1.id, triggerKind: .webhook, idempotencyKey: "k"), now: T.at(5))
            // A new version of the same workflow must not run the same delivery again.
            let newVersion = try await store.createRun(NewRun(workflowVersionID: v2.id, triggerKind: .webhook, idempotencyKey: "k"), now: T.at(6))
            let otherWorkflow = try await store.createRun(NewRun(workflowVersionID: other.id, triggerKind: .webhook, idempotencyKey: "k"), now: T.at(7))
            #expect(first.isCreated)
            #expect(again == .duplicate(first.run))
            #expect(newVersion == .duplicate(first.run))
            #expect(otherWorkflow.isCreated)
            #expect(try await store.countRuns(filter: RunFilter(workflowName: "post")) == 1)
            // Runs without a key never collide.
            _ = try await store.newRun(v1)
            _ = try await store.newRun(v1)
            #expect(try await store.countRuns(filter: RunFilter(workflowName: "post")) == 3)
        }
    }

    @Test("concurrent deliveries with one idempotency key create one run", arguments: StoreFactory.all)
    func concurrentIdempotency(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let second = try fixture.openAnother()
            let version = try await store.version()
            let results = try await withThrowingTaskGroup(of: CreateRunResult.self) { group in
                for index in 0..<30 {
                    let target = index.isMultiple(of: 2) ? store : second
                    group.addTask {
                        try await target.createRun(
                            NewRun(workflowVersionID: version.id, triggerKind: .webhook, idempotencyKey: "same"), now: T.zero)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter(\.isCreated).count == 1)
            #expect(Set(results.map(\.run.id)).count == 1)
            #expect(try await store.countRuns(filter: RunFilter()) == 1)
        }
    }

    @Test("creating a run checks its version and a chosen id", arguments: StoreFactory.all)
    func createErrors(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            await #expect(throws: StoreError.workflowVersionNotFound(id: 42)) {
                try await store.createRun(NewRun(workflowVersionID: 42, triggerKind: .manual), now: T.zero)
            }
            let version = try await store.version()
            let chosen = try await store.createRun(NewRun(id: "run-chosen", workflowVersionID: version.id, triggerKind: .manual), now: T.zero)
            #expect(chosen.run.id == "run-chosen")
            await #expect(throws: StoreError.duplicateRunID("run-chosen")) {
                try await store.createRun(NewRun(id: "run-chosen", workflowVersionID: version.id, triggerKind: .manual), now: T.zero)
            }
        }
    }

    @Test("a run created claimed is running under its creator's lease; a duplicate is returned unclaimed", arguments: StoreFactory.all)
    func createClaimed(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let version = try await store.version()
            let new = NewRun(workflowVersionID: version.id, triggerKind: .manual, idempotencyKey: "once")
            let created = try await store.createClaimedRun(new, owner: "a", leaseDuration: .seconds(30), now: T.at(10))
            #expect(created.isCreated)
            #expect(created.run.status == .running)
            #expect(created.run.leaseOwner == "a")
            #expect(created.run.leaseExpiresAt == T.at(40))
            #expect(created.run.startedAt == T.at(10))
            #expect(created.run.claimCount == 1)
            // Nobody else can claim it while the lease holds, and its owner can commit at once.
            #expect(try await store.claimRuns(owner: "b", limit: 5, leaseDuration: .seconds(30), now: T.at(20)).isEmpty)
            try await store.commit([.stepStarted(runID: created.run.id, step: StepKey("s"))], owner: "a", now: T.at(21))
            // After the lease expires it is taken over like any other run.
            let takeover = try await store.claimRuns(owner: "b", limit: 5, leaseDuration: .seconds(30), now: T.at(41))
            #expect(takeover.map(\.id) == [created.run.id])
            let again = try await store.createClaimedRun(new, owner: "c", leaseDuration: .seconds(30), now: T.at(50))
            #expect(!again.isCreated)
            #expect(again.run.id == created.run.id)
            #expect(again.run.leaseOwner == "b")
        }
    }

    @Test("a run created claimed with starting steps has them running from its creation; a duplicate starts none", arguments: StoreFactory.all)
    func createClaimedWithStartingSteps(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let version = try await store.version()
            let new = NewRun(workflowVersionID: version.id, triggerKind: .manual, idempotencyKey: "first-steps")
            let created = try await store.createClaimedRun(new, owner: "a", leaseDuration: .seconds(30),
                                                           startingSteps: [StepKey("fetch"), StepKey("notify")], now: T.at(10))
            #expect(created.isCreated)
            let steps = try await store.steps(runID: created.run.id)
            #expect(Set(steps.map(\.key)) == [StepKey("fetch"), StepKey("notify")])
            #expect(steps.allSatisfy { $0.status == .running && $0.startedAt == T.at(10) })
            // Its owner finishes one as if it had written the start itself.
            try await store.commit([.stepFinished(runID: created.run.id, step: StepKey("fetch"), status: .succeeded, output: "1")],
                                   owner: "a", now: T.at(12))
            let fetch = try await store.steps(runID: created.run.id).first { $0.key == StepKey("fetch") }
            #expect(fetch?.status == .succeeded)
            #expect(fetch?.startedAt == T.at(10))
            // The key was used: the earlier run comes back and no step is started again.
            let again = try await store.createClaimedRun(new, owner: "b", leaseDuration: .seconds(30),
                                                         startingSteps: [StepKey("other")], now: T.at(20))
            #expect(!again.isCreated)
            #expect(Set(try await store.steps(runID: created.run.id).map(\.key)) == [StepKey("fetch"), StepKey("notify")])
        }
    }
}

import BatonCore
import BatonStore
import Foundation
import JSONata
import Testing
@testable import BatonEngine

/// How many durable writes a worker spends on runs its own process created: the executor's
/// throughput is bounded by them (every write waits for a group-committed fsync).
struct WorkerTests {
    /// a and b start together (`needs: []` takes b out of file order); c waits for both.
    static let yaml = """
        name: fan-in
        triggers:
          - manual
        steps:
          - id: a
            transform:
              value: ${{ 1 }}
          - id: b
            needs: []
            transform:
              value: ${{ 2 }}
          - id: c
            needs: [a, b]
            transform:
              sum: ${{ steps.a.output.value + steps.b.output.value }}
        """

    @Test("the first steps of a workflow are the ones that depend on no other step")
    func firstSteps() throws {
        let workflow = try ExecutorHarness.workflow(Self.yaml)
        #expect(workflow.firstSteps == [StepKey("a"), StepKey("b")])
        let sequential = try ExecutorHarness.workflow("""
            name: chain
            triggers: [manual]
            steps:
              - id: one
                transform: { v: 1 }
              - id: two
                transform: { v: 2 }
            """)
        #expect(sequential.firstSteps == [StepKey("one")])
    }

    @Test("runs created with their first steps started cost one write each for creation and one per commit, and no claims")
    func writesPerAdoptedRun() async throws {
        let harness = try ExecutorHarness()
        defer { harness.remove() }
        let workflow = try ExecutorHarness.workflow(Self.yaml)
        var dependencies = harness.dependencies()
        // No heartbeat (a third of the lease) within the test, however slowly a loaded machine runs it.
        dependencies.leaseDuration = .seconds(3600)
        let version = try await dependencies.catalog.save(workflow, now: harness.clock.now())
        // A poll interval longer than the test: after the first claim, any claim would come from a run ending.
        let worker = Worker(dependencies: dependencies, configuration: .init(maxConcurrentRuns: 4, pollInterval: .seconds(3600)))
        let before = await harness.store.writeStatistics()
        let runs = 5
        let store = harness.store
        let done = RunsDone()
        let working = Task { try await worker.run { await done.count >= runs } }
        var ids: [String] = []
        for _ in 0..<runs {
            let created = try await store.createClaimedRun(
                NewRun(workflowVersionID: version, triggerKind: .manual), owner: dependencies.owner,
                leaseDuration: dependencies.leaseDuration, startingSteps: workflow.firstSteps, now: harness.clock.now())
            await worker.adopt(created.run, startedSteps: workflow.firstSteps)
            // Bounded: 20 s at most.
            for _ in 0..<2_000 {
                if try await store.run(id: created.run.id)?.status.isTerminal == true { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            ids.append(created.run.id)
            await done.add()
        }
        await worker.signal.notify()
        try await working.value
        let after = await harness.store.writeStatistics()

        for id in ids {
            let run = try await store.run(id: id)
            #expect(run?.status == .succeeded)
            #expect(run?.output == #"{"sum":3}"#)
            let steps = try await store.steps(runID: id)
            #expect(steps.count == 3)
            for step in steps {
                #expect(step.status == .succeeded)
                #expect(step.startedAt != nil && step.finishedAt != nil && step.startedAt! <= step.finishedAt!)
            }
        }
        // Per run: the creation (with a and b started), a's result, b's result with c's start,
        // c's result with the run's end. Plus the worker's one claim when it began.
        #expect(after.requests - before.requests == runs * 4 + 1)
    }
}

/// Counts finished runs for a worker's stop condition.
private actor RunsDone {
    private(set) var count = 0
    func add() { count += 1 }
}

import BatonCore
import BatonEngine
import BatonStore
import Foundation
import Synchronization

/// `runs` runs whose first step is `wait: 1h`: the worker claims each, finds the wait too long
/// to sleep through, parks the run in the store and lets it go. Parked runs must cost no task
/// and (almost) no memory.
struct ParkedScenario: Sendable {
    var runs = 10_000
    var synchronous: SQLiteRunStore.Synchronous = .full
    /// Runs created at once (each creation is its own durable write, grouped by the store).
    var creators = 32

    static let yaml = """
        name: bench-parked
        triggers:
          - manual
        steps:
          - id: pause
            wait: 1h
          - id: after
            transform: done
        """

    func run() async throws -> Bool {
        let setup = try BenchSetup(synchronous: synchronous)
        defer { setup.remove() }
        try await setup.printContext(scenario: "parked")
        let workflow = try BenchSetup.workflow(Self.yaml)
        let version = try await setup.dependencies.catalog.save(workflow, now: Date())
        let worker = Worker(dependencies: setup.dependencies, configuration: .init(maxConcurrentRuns: 8))
        let outcomes = setup.store.outcomes
        let target = runs
        let before = ProcessMemory.resident
        print("workload: \(runs) runs that start with 'wait: 1h', created \(creators) at a time while one worker (8 at once) parks them")
        print("RSS before: \(ProcessMemory.mib(before))")
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await worker.run { outcomes.parkedCount >= target } }
            let next = Ticket()
            for _ in 0..<creators {
                group.addTask {
                    while true {
                        let index = next.next()
                        guard index < target else { return }
                        _ = try await setup.store.createRun(
                            NewRun(workflowVersionID: version, triggerKind: .manual, triggerPayload: "{\"n\":\(index)}"), now: Date())
                        await worker.signal.notify()
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - started
        let after = ProcessMemory.resident
        let waiting = try await setup.sqlite.countRuns(filter: RunFilter(statuses: [.waiting]))
        let active = try await setup.sqlite.countRuns(filter: RunFilter(statuses: [.queued, .running]))
        let delta = after - before
        print(String(format: "parked %d runs in %.2f s (%.0f runs/s)", outcomes.parkedCount, elapsed.timeInterval,
                     Double(outcomes.parkedCount) / elapsed.timeInterval))
        print("RSS after: \(ProcessMemory.mib(after)), peak (VmHWM): \(ProcessMemory.mib(ProcessMemory.peakResident))")
        print("RSS attributable to \(runs) parked runs: \(ProcessMemory.mib(delta)) (\(delta / max(1, runs)) bytes per run)   (target < 50 MiB)")
        print("store: \(waiting) runs waiting, \(active) queued or running (the worker returned, so it holds no run and no task)")
        let ok = waiting == runs && active == 0
        print(ok ? "check: all \(runs) runs are parked in the store" : "check: expected \(runs) waiting runs and none active")
        return ok
    }
}

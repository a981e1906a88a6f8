import BatonCore
import BatonEngine
import BatonStore
import Foundation
import JSONata
import Synchronization

/// 5 chained HTTP steps per run against a local server, `runs` runs kept `concurrency` at a
/// time (each lane creates its next run when its previous one finished), a durable commit per step.
struct ExecutorScenario: Sendable {
    var runs = 2_000
    var warmup = 40
    var concurrency = 8
    var synchronous: SQLiteRunStore.Synchronous = .full

    static let steps = 5

    static func yaml(port: Int) -> String {
        var text = """
            name: bench-chain
            triggers:
              - manual
            env:
              TARGET: http://127.0.0.1:\(port)
            steps:

            """
        for step in 1...steps {
            let value = step == 1 ? "trigger.seed" : "steps.s\(step - 1).output.body.value"
            text += """
                  - id: s\(step)
                    http:
                      method: POST
                      url: ${{ env.TARGET }}/step/\(step)
                      json:
                        value: ${{ \(value) }}

                """
        }
        return text
    }

    /// Runs the scenario; returns false when a run failed or produced a wrong output.
    func run() async throws -> Bool {
        let setup = try BenchSetup(synchronous: synchronous)
        defer { setup.remove() }
        try await setup.printContext(scenario: "executor")
        return try await withThrowingTaskGroup(of: Void.self) { group in
            let port = try await EchoServer.start(in: &group)
            let workflow = try BenchSetup.workflow(Self.yaml(port: port))
            let version = try await setup.dependencies.catalog.save(workflow, now: Date())
            let worker = Worker(dependencies: setup.dependencies,
                                configuration: .init(maxConcurrentRuns: concurrency))
            let stop = Atomic(false)
            group.addTask { try await worker.run { stop.load(ordering: .relaxed) } }

            print("workload: \(runs) runs of \(Self.steps) chained POST steps, \(concurrency) at a time (after \(warmup) warm-up runs)")
            _ = try await drive(count: warmup, seedBase: 1_000_000, version: version, firstSteps: workflow.firstSteps, setup: setup, worker: worker)
            let statisticsBefore = await setup.sqlite.writeStatistics()
            setup.store.writeTimes.reset()
            let started = ContinuousClock.now
            let results = try await drive(count: runs, seedBase: 0, version: version, firstSteps: workflow.firstSteps, setup: setup, worker: worker)
            let elapsed = ContinuousClock.now - started
            let statisticsAfter = await setup.sqlite.writeStatistics()
            let peak = ProcessMemory.peakResident

            stop.store(true, ordering: .relaxed)
            await worker.signal.notify()
            group.cancelAll()

            let failures = results.filter { !$0.ok }
            let latencies = results.map(\.latency).sorted()
            let seconds = elapsed.timeInterval
            let transactions = statisticsAfter.transactions - statisticsBefore.transactions
            let requests = statisticsAfter.requests - statisticsBefore.requests
            print(String(format: "elapsed: %.2f s", seconds))
            print(String(format: "runs/s: %.0f", Double(runs) / seconds))
            print(String(format: "steps/s: %.0f   (target >= 3000)", Double(runs * Self.steps) / seconds))
            print("run latency: p50 \(Self.ms(Self.percentile(latencies, 0.50))), p99 \(Self.ms(Self.percentile(latencies, 0.99))) (target < 50 ms), max \(Self.ms(latencies.last ?? .zero))")
            print("peak RSS (VmHWM): \(ProcessMemory.mib(peak))   (target < 150 MiB)")
            print(String(format: "store writes: %d requests in %d transactions (%.1f per fsync), %.0f transactions/s", requests,
                         transactions, Double(requests) / Double(max(1, transactions)), Double(transactions) / seconds))
            let writes = setup.store.writeTimes.all.sorted()
            let meanWrite = writes.reduce(Duration.zero, +) / max(1, writes.count)
            let perRun = Double(writes.count) / Double(runs)
            print("durable writes (create, claim, commit) as callers see them: p50 \(Self.ms(Self.percentile(writes, 0.5))), p99 \(Self.ms(Self.percentile(writes, 0.99))), mean \(Self.ms(meanWrite)); \(String(format: "%.1f", perRun)) per run")
            if failures.isEmpty {
                print("check: all \(runs) runs succeeded with the expected output")
            } else {
                print("check: \(failures.count) of \(runs) runs failed or gave a wrong output, e.g. \(failures[0].detail)")
            }
            return failures.isEmpty
        }
    }

    struct Result: Sendable {
        var latency: Duration
        var ok: Bool
        var detail: String
    }

    /// Runs `count` runs through `concurrency` lanes and returns each run's latency and check.
    private func drive(count: Int, seedBase: Int, version: Int64, firstSteps: [StepKey], setup: BenchSetup, worker: Worker) async throws -> [Result] {
        let next = Ticket()
        return try await withThrowingTaskGroup(of: [Result].self) { lanes in
            for _ in 0..<concurrency {
                lanes.addTask {
                    var results: [Result] = []
                    while true {
                        let index = next.next()
                        guard index < count else { return results }
                        let seed = seedBase + index
                        let created = ContinuousClock.now
                        // Created already claimed by the worker that will run it, its first step
                        // recorded as started: one durable write.
                        let run = try await setup.store.createClaimedRun(
                            NewRun(workflowVersionID: version, triggerKind: .manual, triggerPayload: "{\"seed\":\(seed)}"),
                            owner: setup.dependencies.owner, leaseDuration: setup.dependencies.leaseDuration,
                            startingSteps: firstSteps, now: Date()).run
                        await worker.adopt(run, startedSteps: firstSteps)
                        let ending = await setup.store.outcomes.ending(of: run.id)
                        results.append(Self.check(ending, seed: seed, latency: ending.at - created, runID: run.id))
                    }
                }
            }
            var all: [Result] = []
            for try await results in lanes { all += results }
            return all
        }
    }

    static func check(_ ending: RunOutcomes.Ending, seed: Int, latency: Duration, runID: String) -> Result {
        let expected = seed + (1...steps).reduce(0, +)
        guard ending.status == .succeeded else {
            return Result(latency: latency, ok: false, detail: "run \(runID) \(ending.status.rawValue)")
        }
        let output = ending.output.flatMap { try? JSONValue(parsing: $0) }
        guard case .number(let value)? = output?["body"]?["value"], Int(value) == expected,
              case .number(let step)? = output?["body"]?["step"], Int(step) == steps else {
            return Result(latency: latency, ok: false, detail: "run \(runID) output \(ending.output ?? "none"), expected body.value \(expected)")
        }
        return Result(latency: latency, ok: true, detail: "")
    }

    static func percentile(_ sorted: [Duration], _ fraction: Double) -> Duration {
        guard !sorted.isEmpty else { return .zero }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    static func ms(_ duration: Duration) -> String {
        String(format: "%.1f ms", duration.timeInterval * 1000)
    }
}

extension Duration {
    var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

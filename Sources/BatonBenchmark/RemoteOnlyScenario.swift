import AsyncHTTPClient
import BatonCore
import BatonEngine
import Foundation
import JSONata
import OrderedCollections

/// The executor scenario's HTTP work alone: the same 5 chained steps performed through
/// ``HTTPStepCalls`` by `concurrency` lanes, with no store, worker or run state. Its rate is
/// the ceiling the executor could reach on this machine with this HTTP stack.
struct RemoteOnlyScenario: Sendable {
    var runs = 2_000
    var concurrency = 8

    func run() async throws -> Bool {
        print("scenario: remote-only (HTTPStepCalls alone, no store and no executor)")
        return try await withThrowingTaskGroup(of: Void.self) { group in
            let port = try await EchoServer.start(in: &group)
            let workflow = try BenchSetup.workflow(ExecutorScenario.yaml(port: port))
            let remote = HTTPStepCalls(client: StepHTTPClient(client: HTTPClient.shared))
            let environment = try RunEnvironment().applying(workflow.env)
            let next = Ticket()
            let count = runs
            let started = ContinuousClock.now
            let failures = try await withThrowingTaskGroup(of: Int.self) { lanes in
                for _ in 0..<concurrency {
                    lanes.addTask {
                        var failures = 0
                        while case let index = next.next(), index < count {
                            var steps = OrderedDictionary<String, JSONValue>()
                            var last: JSONValue? = nil
                            for step in workflow.steps {
                                let context: JSONValue = .object(["trigger": .object(["seed": .number(Double(index))]),
                                                                  "steps": .object(steps), "env": .object(environment.env)])
                                let result = await remote.call(step, context: context, idempotencyKey: "k", timeout: .seconds(30),
                                                               workflow: workflow, secrets: [])
                                guard case .success(let output) = result.result else { failures += 1; break }
                                steps[step.id] = .object(["status": "succeeded", "output": output])
                                last = output
                            }
                            if case .number(let value)? = last?["body"]?["value"], Int(value) == index + 15 {} else { failures += 1 }
                        }
                        return failures
                    }
                }
                return try await lanes.reduce(0, +)
            }
            let seconds = (ContinuousClock.now - started).timeInterval
            print(String(format: "steps/s: %.0f (%d runs of %d steps in %.2f s), %d failures", Double(runs * ExecutorScenario.steps) / seconds,
                         runs, ExecutorScenario.steps, seconds, failures))
            group.cancelAll()
            return failures == 0
        }
    }
}

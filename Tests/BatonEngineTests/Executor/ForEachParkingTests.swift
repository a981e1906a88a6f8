import BatonCore
import BatonStore
import Foundation
import JSONata
@testable import BatonEngine

import Testing

/// A `for_each` whose items outlast the in-process wait (children still running) parks the
/// step and finishes it later with every item's output, instead of ending it with nulls.
struct ForEachParkingTests {
    @Test func forEachOverLongChildrenWaitsForEveryChild() async throws {
        var harness = try ExecutorHarness()
        defer { harness.remove() }
        harness.workflows["slow"] = try ExecutorHarness.workflow("""
            name: slow
            inputs:
              n: {type: number, required: true}
            steps:
              - id: pause
                wait: 3s
              - id: result
                transform: ${{ inputs.n * 10 }}
            """, file: "slow.yaml")
        let parent = try ExecutorHarness.workflow("""
            steps:
              - id: children
                for_each: ${{ [1, 2, 3] }}
                concurrency: 2
                workflow:
                  name: slow
                  input: {n: "${{ item }}"}
              - id: total
                transform: ${{ $sum(steps.children.output) }}
            """)
        let run = try await harness.start(parent)
        let finished = try await harness.work(until: run, limit: .seconds(30))
        #expect(finished.status == .succeeded)
        let steps = try await harness.steps(run)
        #expect(steps["children"]?.output == "[10,20,30]")
        #expect(steps["total"]?.output == "60")
        #expect(finished.claimCount >= 2)
        let children = try await harness.store.listRuns(filter: RunFilter(workflowName: "slow"), limit: 10, after: nil)
        #expect(children.runs.count == 3)
    }
}

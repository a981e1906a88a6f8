import BatonCore
@testable import BatonEngine
import Testing

/// Which steps a retry keeps from the run it retries.
struct RetryCarryTests {
    static func workflow(_ steps: String) throws -> Workflow {
        try #require(WorkflowLoader.load(text: "name: w\nsteps:\n" + steps, file: "w.yaml").workflow)
    }

    @Test func aStepAfterAFailureItContinuedPastRunsAgain() throws {
        let workflow = try Self.workflow("""
              - id: fetch
                transform: 1
              - id: notify
                on_error: continue
                fail: down
              - id: summary
                transform: ${{ steps.notify.status }}
            """)
        #expect(RunOperations.carriedSteps(of: workflow, succeeded: ["fetch", "summary"]) == ["fetch"])
    }

    @Test func independentBranchesKeepWhatSucceeded() throws {
        let workflow = try Self.workflow("""
              - id: a
                transform: 1
              - id: b
                needs: [a]
                fail: no
              - id: c
                needs: [a]
                transform: 2
              - id: d
                needs: [b, c]
                transform: 3
            """)
        #expect(RunOperations.carriedSteps(of: workflow, succeeded: ["a", "c"]) == ["a", "c"])
    }
}

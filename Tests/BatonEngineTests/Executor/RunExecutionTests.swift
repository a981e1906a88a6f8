import BatonCore
import BatonStore
import Foundation
import JSONata
import Testing
@testable import BatonEngine

/// Runs workflows end to end on a real SQLite store.
struct RunExecutionTests {
    @Test func stepsPassDataInFileOrder() async throws {
        let harness = try ExecutorHarness()
        defer { harness.remove() }
        let workflow = try ExecutorHarness.workflow("""
            inputs:
              greeting: {type: string, default: Hello}
            steps:
              - id: name
                transform: ${{ $uppercase(trigger.body.name) }}
              - id: message
                transform:
                  text: ${{ inputs.greeting }}, ${{ steps.name.output }}!
                  length: ${{ $length(steps.name.output) }}
            """)
        let run = try await harness.start(workflow, trigger: ["body": ["name": "ada"]], inputs: ["greeting": "Hello"])
        let finished = try await harness.work(until: run)
        #expect(finished.status == .succeeded)
        #expect(finished.output == #"{"text":"Hello, ADA!","length":3}"#)
        let steps = try await harness.steps(run)
        #expect(steps["name"]?.status == .succeeded)
        #expect(steps["name"]?.output == #""ADA""#)
        #expect(steps["message"]?.status == .succeeded)
        #expect(harness.reports.all.map(\.stepID) == ["name", "message"])
    }

    @Test func conditionsSkipAndDependantsStillRun() async throws {
        let harness = try ExecutorHarness()
        defer { harness.remove() }
        let workflow = try ExecutorHarness.workflow("""
            steps:
              - id: fetch
                transform: {platforms: [mastodon]}
              - id: mastodon
                needs: [fetch]
                if: ${{ "mastodon" in steps.fetch.output.platforms }}
                transform: posted
              - id: bluesky
                needs: [fetch]
                if: ${{ "bluesky" in steps.fetch.output.platforms }}
                transform: posted
              - id: report
                needs: [mastodon, bluesky]
                transform: ${{ [steps.mastodon.status, steps.bluesky.status] }}
            """)
        let run = try await harness.start(workflow)
        let finished = try await harness.work(until: run)
        #expect(finished.status == .succeeded)
        #expect(finished.output == #"["succeeded","skipped"]"#)
        #expect(try await harness.steps(run)["bluesky"]?.status == .skipped)
    }

    @Test func failingStepFailsTheRunAndOnFailureSeesTheError() async throws {
        let harness = try ExecutorHarness()
        defer { harness.remove() }
        let workflow = try ExecutorHarness.workflow("""
            steps:
              - id: check
                transform: ${{ "x" + 1 }}
              - id: never
                transform: 1
            on_failure:
              - id: alert
                transform: '${{ "failed at " & run.error.step & ": " & run.error.code }}'
            """)
        let run = try await harness.start(workflow)
        let finished = try await harness.work(until: run)
        #expect(finished.status == .failed)
        let steps = try await harness.steps(run)
        #expect(steps["check"]?.status == .failed)
        #expect(steps["check"]?.error?.contains("T2001") == true)
        #expect(steps["never"] == nil || steps["never"]?.status == .cancelled)
        #expect(steps["alert"]?.output == #""failed at check: expression""#)
        #expect(finished.error?.contains(#""step":"check""#) == true)
    }

    @Test func continueOnErrorLetsTheRunSucceed() async throws {
        let harness = try ExecutorHarness()
        defer { harness.remove() }
        let workflow = try ExecutorHarness.workflow("""
            steps:
              - id: optional
                on_error: continue
                fail: not today
              - id: after
                transform: '${{ steps.optional.status & ": " & steps.optional.error.message }}'
            """)
        let run = try await harness.start(workflow)
        let finished = try await harness.work(until: run)
        // A fail step ends the run whatever on_error says.
        #expect(finished.status == .failed)
        #expect(finished.error?.contains("not today") == true)

        let lenient = try ExecutorHarness.workflow("""
            steps:
              - id: optional
                on_error: continue
                transform: ${{ $error("not today") }}
              - id: after
                transform: ${{ steps.optional.status }}
            """, file: "lenient.yaml")
        let second = try await harness.work(until: try await harness.start(lenient))
        #expect(second.status == .succeeded)
        #expect(second.output == #""failed""#)
    }

    @Test func forEachKeepsItemOrder() async throws {
        let harness = try ExecutorHarness()
        defer { harness.remove() }
        let workflow = try ExecutorHarness.workflow("""
            steps:
              - id: each
                for_each: ${{ trigger.items }}
                concurrency: 3
                transform: ${{ index & ":" & item.name }}
            """)
        let run = try await harness.start(workflow, trigger: ["items": [["name": "a"], ["name": "b"], ["name": "c"], ["name": "d"]]])
        let finished = try await harness.work(until: run)
        #expect(finished.status == .succeeded)
        #expect(finished.output == #"["0:a","1:b","2:c","3:d"]"#)
        let steps = try await harness.steps(run)
        #expect(steps["each[2]"]?.output == #""2:c""#)
    }

    @Test func longWaitsParkTheRunAndWakeOnTime() async throws {
        let harness = try ExecutorHarness()
        defer { harness.remove() }
        let workflow = try ExecutorHarness.workflow("""
            steps:
              - id: pause
                wait: 10m
              - id: done
                transform: ${{ steps.pause.output.waited_until }}
            """)
        let run = try await harness.start(workflow)
        let parked = try await harness.work(until: run, statuses: [.waiting])
        #expect(parked.status == .waiting)
        let wake = try #require(parked.wakeAt)
        // Ten minutes after the step started.
        #expect(wake.timeIntervalSince(harness.clock.now()) > 590)
        #expect(wake.timeIntervalSince(harness.clock.now()) <= 600)
        #expect(try await harness.steps(run)["pause"]?.status == .waiting)

        harness.clock.advance(by: 601)
        let finished = try await harness.work(until: run)
        #expect(finished.status == .succeeded)
        #expect(finished.output == "\"" + ISO8601Time.format(wake) + "\"")
    }

    @Test func secretsNeverReachTheStoreInClear() async throws {
        var harness = try ExecutorHarness()
        defer { harness.remove() }
        harness.environment = RunEnvironment(process: ["BATON_SECRET_TOKEN": "s3cr3t-value", "HOME": "/root"])
        let workflow = try ExecutorHarness.workflow("""
            steps:
              - id: leak
                transform: {header: "Bearer ${{ secrets.TOKEN }}", home: "${{ env.HOME }}", none: "${{ env.BATON_SECRET_TOKEN }}"}
              - id: boom
                fail: "token was ${{ secrets.TOKEN }}"
            """)
        let run = try await harness.start(workflow)
        let finished = try await harness.work(until: run)
        #expect(finished.status == .failed)
        let steps = try await harness.steps(run)
        // env never carries secrets: the whole-value expression is undefined and the key is left out.
        #expect(steps["leak"]?.output == #"{"header":"Bearer ***","home":"/root"}"#)
        #expect(finished.error?.contains("token was ***") == true)
        let bytes = try Data(contentsOf: harness.directory.appendingPathComponent("baton.sqlite"))
        #expect(bytes.range(of: Data("s3cr3t-value".utf8)) == nil)
    }

    @Test func aRunLeftByADeadWorkerResumesFromItsLastCommittedStep() async throws {
        let harness = try ExecutorHarness()
        defer { harness.remove() }
        let workflow = try ExecutorHarness.workflow("""
            steps:
              - id: first
                transform: ${{ $millis() }}
              - id: second
                transform: ${{ steps.first.output }}
            """)
        let run = try await harness.start(workflow)
        // A worker that claims the run, commits 'first', starts 'second' and dies.
        let claimed = try await harness.store.claimRuns(owner: "dead", limit: 1, leaseDuration: .seconds(30), now: harness.clock.now())
        #expect(claimed.map(\.id) == [run.id])
        try await harness.store.commit([
            .stepStarted(runID: run.id, step: StepKey("first")),
            .stepFinished(runID: run.id, step: StepKey("first"), status: .succeeded, output: "42"),
            .stepStarted(runID: run.id, step: StepKey("second")),
        ], owner: "dead", now: harness.clock.now())

        // Until the lease expires nobody else may take it.
        #expect(try await harness.store.claimRuns(owner: "live", limit: 1, leaseDuration: .seconds(30), now: harness.clock.now()).isEmpty)
        harness.clock.advance(by: 31)
        let finished = try await harness.work(until: run, owner: "live")
        #expect(finished.status == .succeeded)
        // 'first' kept its committed output rather than running again.
        #expect(finished.output == "42")
        #expect(harness.reports.all.map(\.stepID) == ["second"])
    }

    @Test func runTimeoutFailsTheRun() async throws {
        var harness = try ExecutorHarness()
        // The wait stays in process (not parked), so the run's timeout is what ends it.
        harness.inProcessWaitLimit = .seconds(30)
        defer { harness.remove() }
        let workflow = try ExecutorHarness.workflow("""
            timeout: 1s
            steps:
              - id: slow
                wait: 6s
              - id: never
                transform: 1
            on_failure:
              - id: note
                transform: ${{ run.error.code }}
            """)
        let run = try await harness.start(workflow)
        // The wait outlasts the timeout by 5 s, so a loaded machine cannot let it finish first.
        let finished = try await harness.work(until: run)
        #expect(finished.status == .failed)
        let steps = try await harness.steps(run)
        #expect(steps["slow"]?.status == .cancelled)
        #expect(steps["note"]?.output == #""run_timeout""#)
    }

    @Test func subWorkflowOutputBecomesTheStepOutput() async throws {
        var harness = try ExecutorHarness()
        defer { harness.remove() }
        harness.workflows["double"] = try ExecutorHarness.workflow("""
            name: double
            inputs:
              n: {type: number, required: true}
            steps:
              - id: result
                transform: ${{ inputs.n * 2 }}
            """, file: "double.yaml")
        let parent = try ExecutorHarness.workflow("""
            steps:
              - id: child
                workflow:
                  name: double
                  input: {n: "${{ trigger.n }}"}
              - id: done
                transform: ${{ steps.child.output + 1 }}
              - id: missing
                on_error: continue
                workflow: nowhere
            """)
        let run = try await harness.start(parent, trigger: ["n": 20])
        let finished = try await harness.work(until: run)
        #expect(finished.status == .succeeded)
        let steps = try await harness.steps(run)
        #expect(steps["child"]?.output == "40")
        #expect(steps["done"]?.output == "41")
        #expect(steps["missing"]?.error?.contains("unknown_workflow") == true)
        let children = try await harness.store.listRuns(filter: RunFilter(workflowName: "double"), limit: 10, after: nil)
        #expect(children.runs.count == 1)
        #expect(children.runs.first?.status == .succeeded)
    }

    /// A parent whose child takes longer than the in-process wait parks instead of holding a
    /// worker slot, and finishes once the child does.
    @Test func aParentWaitingForALongChildParks() async throws {
        var harness = try ExecutorHarness()
        defer { harness.remove() }
        harness.workflows["slow"] = try ExecutorHarness.workflow("""
            name: slow
            steps:
              - id: pause
                wait: 3s
              - id: result
                transform: done
            """, file: "slow.yaml")
        let parent = try ExecutorHarness.workflow("""
            steps:
              - id: child
                workflow: slow
            """)
        let run = try await harness.start(parent)
        let finished = try await harness.work(until: run)
        #expect(finished.status == .succeeded)
        #expect(finished.output == #""done""#)
        // The parent parked at least once while the child waited.
        #expect(finished.claimCount >= 2)
    }
}

import BatonStore
import Foundation
import JSONata
import Testing

/// Retry, replay, cancel and prune through the real server's API.
@Suite(.timeLimit(.minutes(3)))
struct RunActionsAPITests {
    static let charge = """
        name: charge
        triggers:
          - webhook:
              path: /hooks/charge
        steps:
          - id: fetch
            http:
              method: POST
              url: ${{ env.STEP_URL }}/fetch
              json: {order: "${{ trigger.body.order }}"}
          - id: charge
            http:
              method: POST
              url: ${{ env.STEP_URL }}/charge
              json: {id: "${{ steps.fetch.output.body.id }}"}
          - id: receipt
            transform: ${{ "charged " & steps.fetch.output.body.id & " for " & trigger.body.order }}
        """

    static func greet(_ word: String) -> String {
        """
        name: greet
        inputs:
          who: string
        steps:
          - id: hello
            transform: ${{ "\(word) " & inputs.who }}
        """
    }

    static let pause = """
        name: pause
        steps:
          - id: nap
            wait: 1h
        """

    func withServer(_ steps: FlakyStepServer? = nil, _ body: (ServerHarness) async throws -> Void) async throws {
        let harness = try ServerHarness(environment: steps.map { ["STEP_URL": $0.url] } ?? [:])
        defer { harness.remove() }
        try harness.write("charge.yaml", Self.charge)
        try harness.write("greet.yaml", Self.greet("hello"))
        try harness.write("pause.yaml", Self.pause)
        try await harness.start()
        do { try await body(harness) } catch { await harness.stop(); throw error }
        await harness.stop()
    }

    @Test func aRetryContinuesFromTheFailedStepWithoutCallingTheSucceededOne() async throws {
        let steps = FlakyStepServer()
        try await steps.start()
        defer { steps.stop() }
        try await withServer(steps) { server in
            let delivery = try await server.send(.POST, "/hooks/charge", body: #"{"order":"A-1"}"#, headers: [("Content-Type", "application/json")])
            let originalID = try #require(delivery.json?["run_id"]?.stringValue)
            let failed = try await server.finished(originalID)
            #expect(failed.status == .failed)
            #expect(steps.calls("/fetch") == 1 && steps.calls("/charge") == 1)
            let failedRecord = try await server.send(.GET, "/api/runs/\(originalID)", authorized: true).text

            steps.failing = false
            let retry = try await server.send(.POST, "/api/runs/\(originalID)/retry", authorized: true)
            #expect(retry.status == 201)
            #expect(retry.json?["retry_of"]?.stringValue == originalID)
            let retryID = try #require(retry.json?["run_id"]?.stringValue)
            #expect(retryID != originalID)
            let finished = try await server.finished(retryID)
            #expect(finished.status == .succeeded)
            #expect(finished.output == #""charged 7 for A-1""#)
            // The step that succeeded before was not called again; the failed one was.
            #expect(steps.calls("/fetch") == 1)
            #expect(steps.calls("/charge") == 2)

            let record = try #require(try await server.send(.GET, "/api/runs/\(retryID)", authorized: true).json)
            #expect(record["trigger"]?.stringValue == "retry")
            #expect(record["origin"]?["kind"]?.stringValue == "retry")
            #expect(record["origin"]?["run_id"]?.stringValue == originalID)
            #expect(record["trigger_payload"]?["body"]?["order"]?.stringValue == "A-1")
            let stepsRun = record["steps"]?.arrayValue ?? []
            #expect(stepsRun.compactMap { $0["status"]?.stringValue } == ["succeeded", "succeeded", "succeeded"])
            #expect(stepsRun.first?["output"]?["body"]?["id"]?.numberValue == 7)

            // The failed run's record is as it was, apart from naming the retry made from it.
            let original = try #require(try await server.send(.GET, "/api/runs/\(originalID)", authorized: true).json)
            #expect(original["status"]?.stringValue == "failed")
            #expect(original["derived"]?[0]?["run_id"]?.stringValue == retryID)
            guard case .object(var now) = original, case .object(var before)? = try? JSONValue(parsing: failedRecord) else {
                Issue.record("records are not objects")
                return
            }
            now["derived"] = nil
            before["derived"] = nil
            #expect(now == before)

            // Retrying again gives the retry that succeeded; a succeeded run is not retried.
            let again = try await server.send(.POST, "/api/runs/\(originalID)/retry", authorized: true)
            #expect(again.status == 200)
            #expect(again.json?["run_id"]?.stringValue == retryID)
            #expect(again.json?["created"] == .bool(false))
            let refused = try await server.send(.POST, "/api/runs/\(retryID)/retry", authorized: true)
            #expect(refused.status == 409)
            #expect(refused.json?["error"]?["code"]?.stringValue == "not_retryable")
            #expect(try await server.send(.POST, "/api/runs/01NOPE/retry", authorized: true).status == 404)
        }
    }

    @Test func aReplayRunsTheCurrentVersionOrTheOriginal() async throws {
        try await withServer { server in
            let created = try await server.send(.POST, "/api/workflows/greet/runs", body: #"{"who":"Ada"}"#, authorized: true)
            let originalID = try #require(created.json?["run_id"]?.stringValue)
            #expect(try await server.finished(originalID).output == #""hello Ada""#)
            let oldVersion = try await server.runs(of: "greet").first?.workflowVersionID

            try server.write("greet.yaml", Self.greet("hi"))
            let reloaded = try await server.eventually(10) {
                let list = try await server.send(.GET, "/api/workflows", authorized: true)
                let version = list.json?["workflows"]?.arrayValue?.first { $0["name"]?.stringValue == "greet" }?["version"]?.numberValue
                return version.map { Int64($0) } != oldVersion
            }
            try #require(reloaded)

            let current = try await server.send(.POST, "/api/runs/\(originalID)/replay", authorized: true)
            #expect(current.status == 201)
            #expect(current.json?["replay_of"]?.stringValue == originalID)
            let currentRun = try await server.finished(try #require(current.json?["run_id"]?.stringValue))
            #expect(currentRun.output == #""hi Ada""#)
            #expect(currentRun.triggerKind == .manual)

            let original = try await server.send(.POST, "/api/runs/\(originalID)/replay?version=original", authorized: true)
            let originalRun = try await server.finished(try #require(original.json?["run_id"]?.stringValue))
            #expect(originalRun.output == #""hello Ada""#)
            #expect(originalRun.workflowVersionID == oldVersion)

            let lineage = try #require(try await server.send(.GET, "/api/runs/\(originalID)", authorized: true).json)
            #expect(lineage["derived"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } == ["replay", "replay"])
            let bad = try await server.send(.POST, "/api/runs/\(originalID)/replay?version=latest", authorized: true)
            #expect(bad.status == 400)
            #expect(bad.json?["error"]?["message"]?.stringValue == "version 'latest' is not a replay version; use current or original")
        }
    }

    @Test func cancellingStopsAWaitingRunOnce() async throws {
        try await withServer { server in
            let created = try await server.send(.POST, "/api/workflows/pause/runs", authorized: true)
            let runID = try #require(created.json?["run_id"]?.stringValue)
            let parked = try await server.eventually(10) { try await server.store.run(id: runID)?.status == .waiting }
            try #require(parked)

            let cancelled = try await server.send(.POST, "/api/runs/\(runID)/cancel", authorized: true)
            #expect(cancelled.status == 200)
            #expect(cancelled.json?["status"]?.stringValue == "cancelled")
            #expect(cancelled.json?["error"]?["message"]?.stringValue == "cancelled through the API")
            let record = try #require(try await server.send(.GET, "/api/runs/\(runID)", authorized: true).json)
            #expect(record["steps"]?[0]?["status"]?.stringValue == "cancelled")
            #expect(try await server.send(.POST, "/api/runs/\(runID)/cancel", authorized: true).status == 200)

            let done = try await server.send(.POST, "/api/workflows/greet/runs", body: #"{"who":"Bo"}"#, authorized: true)
            let doneID = try #require(done.json?["run_id"]?.stringValue)
            _ = try await server.finished(doneID)
            let refused = try await server.send(.POST, "/api/runs/\(doneID)/cancel", authorized: true)
            #expect(refused.status == 409)
            #expect(refused.json?["error"]?["message"]?.stringValue
                == "run \(doneID) already succeeded; only a queued, running or waiting run can be cancelled")
            #expect(try await server.send(.POST, "/api/runs/01NOPE/cancel", authorized: true).status == 404)
            // A cancelled run can be retried: it continues from the wait.
            let retry = try await server.send(.POST, "/api/runs/\(runID)/retry", authorized: true)
            #expect(retry.status == 201)
        }
    }

    @Test func pruningDeletesOldFinishedRuns() async throws {
        try await withServer { server in
            var ids: [String] = []
            for name in ["Ada", "Bo", "Cy"] {
                let created = try await server.send(.POST, "/api/workflows/greet/runs", body: #"{"who":"\#(name)"}"#, authorized: true)
                ids.append(try #require(created.json?["run_id"]?.stringValue))
            }
            for id in ids { _ = try await server.finished(id) }
            let waiting = try await server.send(.POST, "/api/workflows/pause/runs", authorized: true)
            let waitingID = try #require(waiting.json?["run_id"]?.stringValue)

            let none = try await server.send(.POST, "/api/runs/prune?older_than=1h", authorized: true)
            #expect(none.json?["deleted"]?.numberValue == 0)
            server.clock.advance(by: 2 * 3600)
            let pruned = try await server.send(.POST, "/api/runs/prune?older_than=1h", authorized: true)
            #expect(pruned.status == 200)
            #expect(pruned.json?["deleted"]?.numberValue == 3)
            #expect(pruned.json?["bytes_after"]?.numberValue != nil)
            for id in ids { #expect(try await server.send(.GET, "/api/runs/\(id)", authorized: true).status == 404) }
            #expect(try await server.store.run(id: waitingID) != nil, "an unfinished run is never pruned")

            let bad = try await server.send(.POST, "/api/runs/prune?older_than=soon", authorized: true)
            #expect(bad.status == 400)
            #expect(try await server.send(.POST, "/api/runs/prune", authorized: true).json?["error"]?["message"]?.stringValue
                == "older_than is required, like ?older_than=30d")
        }
    }
}

import BatonStore
import Foundation
import JSONata
import Testing

/// The REST API, health checks and metrics of the real server.
@Suite(.timeLimit(.minutes(2)))
struct APIServerTests {
    static let greet = """
        name: greet
        inputs:
          who: string
          times:
            type: number
            default: 1
        steps:
          - id: hello
            transform: ${{ "hello " & inputs.who & " x" & inputs.times }}
        """

    func withServer(_ body: (ServerHarness) async throws -> Void) async throws {
        let harness = try ServerHarness()
        defer { harness.remove() }
        try harness.write("greet.yaml", Self.greet)
        try await harness.start()
        do { try await body(harness) } catch { await harness.stop(); throw error }
        await harness.stop()
    }

    @Test func theAPINeedsTheBearerToken() async throws {
        try await withServer { server in
            let missing = try await server.send(.GET, "/api/workflows")
            #expect(missing.status == 401)
            #expect(missing.json?["error"]?["code"]?.stringValue == "unauthorized")
            #expect(missing.headers.first(name: "WWW-Authenticate") == "Bearer")
            let wrong = try await server.send(.GET, "/api/workflows", headers: [("Authorization", "Bearer nope")])
            #expect(wrong.status == 401)
            let right = try await server.send(.GET, "/api/workflows", authorized: true)
            #expect(right.status == 200)
            #expect(right.json?["workflows"]?[0]?["name"]?.stringValue == "greet")
        }
    }

    @Test func aManualRunChecksItsInputsAndRuns() async throws {
        try await withServer { server in
            let bad = try await server.send(.POST, "/api/workflows/greet/runs", body: #"{"times":"twice","extra":1}"#, authorized: true)
            #expect(bad.status == 400)
            let problems = bad.json?["error"]?["problems"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(problems.contains { $0.contains("unknown input 'extra'") }, "\(problems)")
            #expect(problems.contains { $0.contains("input 'times' must be a number") }, "\(problems)")

            let created = try await server.send(.POST, "/api/workflows/greet/runs", body: #"{"who":"Ada"}"#, authorized: true)
            #expect(created.status == 201)
            let runID = try #require(created.json?["run_id"]?.stringValue)
            let run = try await server.finished(runID)
            #expect(run.output == #""hello Ada x1""#)
            #expect(run.triggerKind == .manual)

            let record = try await server.send(.GET, "/api/runs/\(runID)", authorized: true)
            #expect(record.status == 200)
            #expect(record.json?["status"]?.stringValue == "succeeded")
            #expect(try await server.send(.GET, "/api/runs/nope", authorized: true).status == 404)
            #expect(try await server.send(.POST, "/api/workflows/nope/runs", body: "{}", authorized: true).status == 404)
        }
    }

    @Test func healthReadinessAndMetrics() async throws {
        try await withServer { server in
            #expect(try await server.send(.GET, "/healthz").status == 200)
            #expect(try await server.send(.GET, "/readyz").text == "ready\n")
            let created = try await server.send(.POST, "/api/workflows/greet/runs", body: #"{"who":"Bo"}"#, authorized: true)
            _ = try await server.finished(try #require(created.json?["run_id"]?.stringValue))
            _ = try await server.send(.POST, "/hooks/none", body: "{}")
            let metrics = try await server.send(.GET, "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.text.contains(#"baton_runs_started_total{workflow="greet",trigger="manual"} 1"#))
            let succeeded = await server.eventually(5) {
                (try? await server.send(.GET, "/metrics").text.contains(#"baton_runs_succeeded_total{workflow="greet"} 1"#)) ?? false
            }
            #expect(succeeded)
            #expect(metrics.text.contains("baton_step_duration_seconds_bucket"))
            #expect(metrics.text.contains("baton_queue_depth"))
        }
    }
}

extension JSONValue {
    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}

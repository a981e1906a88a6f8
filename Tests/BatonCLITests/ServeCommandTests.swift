import AsyncHTTPClient
import BatonStore
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The real `baton serve` binary: graceful shutdown mid-run, the API token, remote runs.
@Suite(.timeLimit(.minutes(3)))
struct ServeCommandTests {
    struct Reply {
        var status: Int
        var text: String
    }

    static func send(_ url: String, method: HTTPMethod = .POST, body: String? = nil, token: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return Reply(status: Int(response.status.code), text: String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    static func runID(_ reply: Reply) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [String: Any])?["run_id"] as? String
    }

    @Test func sigtermMidRunLetsTheStepFinishAndTheNextStartResumesTheRest() async throws {
        let steps = StepServer(delay: 1200...1200)
        try await steps.start()
        defer { steps.stop() }
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let workflows = directory.appendingPathComponent("Workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        try """
            name: relay
            triggers:
              - webhook: { path: /hooks/relay }
            steps:
              - id: a
                http:
                  method: POST
                  url: \(steps.baseURL)/step/a
                  json: { value: "${{ trigger.body.v }}" }
              - id: b
                http:
                  method: POST
                  url: \(steps.baseURL)/step/b
                  json: { value: "${{ steps.a.output.body.value }}" }
            """.write(to: workflows.appendingPathComponent("relay.yaml"), atomically: true, encoding: .utf8)
        let environment = ["BATON_API_TOKEN": "t0ken"]

        let first = try await ServeProcess.start(["--grace", "10s"], in: directory, environment: environment)
        let accepted = try await Self.send("\(first.url)/hooks/relay", body: #"{"v":"x"}"#)
        #expect(accepted.status == 202)
        let runID = try #require(Self.runID(accepted))
        // SIGTERM while step a is in flight.
        let deadline = ContinuousClock.now + .seconds(15)
        while !steps.seen.contains(where: { $0.path == "/step/a" }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        first.signal(SIGTERM)
        let status = try await first.waitForExit(upTo: .seconds(20))
        #expect(status == 0, "\(first.log)")
        // Step a finished within the grace period and was committed; b did not start; the run is queued.
        let store = try SQLiteRunStore(path: directory.appendingPathComponent("baton.sqlite").path)
        let stopped = try #require(try await store.run(id: runID))
        #expect(stopped.status == .queued)
        let stepsAfterStop = try await store.steps(runID: runID)
        #expect(stepsAfterStop.map(\.key.stepID) == ["a"])
        #expect(stepsAfterStop.first?.status == .succeeded)
        #expect(!steps.seen.contains { $0.path == "/step/b" })

        // The next start resumes the run from step b.
        let second = try await ServeProcess.start([], in: directory, environment: environment)
        let finishDeadline = ContinuousClock.now + .seconds(30)
        while try await store.run(id: runID)?.status.isTerminal != true, ContinuousClock.now < finishDeadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        await second.stop()
        let finished = try #require(try await store.run(id: runID))
        #expect(finished.status == .succeeded)
        #expect(finished.output?.contains("x/a/b") == true)
        #expect(steps.seen.filter { $0.path == "/step/a" }.count == 1)
        #expect(steps.seen.filter { $0.path == "/step/b" }.count == 1)
    }

    @Test func theFirstStartCreatesAnAPITokenAndPrintsItOnce() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("Workflows"), withIntermediateDirectories: true)
        let first = try await ServeProcess.start([], in: directory)
        let log = first.log
        let range = try #require(log.range(of: #"keep it, or set BATON_API_TOKEN\): [A-Za-z0-9_-]+"#, options: .regularExpression))
        let token = String(log[range].split(separator: " ").last!)
        #expect(try await Self.send("\(first.url)/api/workflows", method: .GET, token: token).status == 200)
        #expect(try await Self.send("\(first.url)/api/workflows", method: .GET, token: "wrong").status == 401)
        await first.stop()

        let second = try await ServeProcess.start([], in: directory)
        #expect(!second.log.contains(token))
        #expect(try await Self.send("\(second.url)/api/workflows", method: .GET, token: token).status == 200)
        await second.stop()
    }

    @Test func runWithServerStartsTheRunThereAndPrintsItsOutput() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let workflows = directory.appendingPathComponent("Workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        try """
            name: greet
            inputs:
              who: string
            steps:
              - id: hello
                transform: ${{ "hello " & inputs.who }}
            """.write(to: workflows.appendingPathComponent("greet.yaml"), atomically: true, encoding: .utf8)
        try "name: broken\nsteps:\n  - id: x\n    transform: ${{ ( }}\n"
            .write(to: workflows.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        let server = try await ServeProcess.start([], in: directory, environment: ["BATON_API_TOKEN": "abc"])
        defer { Task { await server.stop() } }
        // One line per loaded workflow; the broken file reported with its location.
        #expect(server.log.contains("workflow 'greet' loaded from Workflows/greet.yaml (version 1): manual starts only"))
        #expect(server.log.contains("Workflows/broken.yaml is invalid; it is not served"))
        #expect(server.log.contains("Workflows/broken.yaml:4:"))

        let ok = try await BatonProcess.runAsync(["run", "greet", "--server", server.url, "--input", #"{"who":"Ada"}"#],
                                                 in: directory, environment: ["BATON_API_TOKEN": "abc"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "\"hello Ada\"\n")

        let bad = try await BatonProcess.runAsync(["run", "greet", "--server", server.url, "--input", #"{"whom":"Ada"}"#],
                                                  in: directory, environment: ["BATON_API_TOKEN": "abc"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("unknown input 'whom'"))
        await server.stop()
    }
}

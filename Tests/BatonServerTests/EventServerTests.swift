import BatonStore
import Foundation
import JSONata
import Testing

/// `wait_for` steps resumed by an event, by the run's resume URL, and by their timeout.
@Suite(.timeLimit(.minutes(2)))
struct EventServerTests {
    static let approval = """
        name: approval
        inputs:
          order: string
        steps:
          - id: link
            transform: ${{ run.resume_url }}
          - id: approved
            wait_for:
              event: order-approved
              match: ${{ event.order = inputs.order }}
              timeout: 1h
          - id: done
            transform: ${{ steps.approved.output.by & " approved " & inputs.order }}
        """

    func withServer(_ files: [String: String], _ body: (ServerHarness) async throws -> Void) async throws {
        let harness = try ServerHarness()
        defer { harness.remove() }
        for (name, text) in files { try harness.write(name, text) }
        try await harness.start()
        do { try await body(harness) } catch { await harness.stop(); throw error }
        await harness.stop()
    }

    func start(_ server: ServerHarness, order: String) async throws -> String {
        let reply = try await server.send(.POST, "/api/workflows/approval/runs", body: #"{"order":"\#(order)"}"#, authorized: true)
        let id = try #require(reply.json?["run_id"]?.stringValue)
        try await server.eventually { try await server.store.run(id: id)?.status == .waiting }
        return id
    }

    @Test func anEventResumesOnlyTheRunItMatches() async throws {
        try await withServer(["approval.yaml": Self.approval]) { server in
            let first = try await start(server, order: "A-1")
            let second = try await start(server, order: "B-2")
            let reply = try await server.send(.POST, "/api/events/order-approved", body: #"{"order":"B-2","by":"Grace"}"#,
                                              headers: [("Content-Type", "application/json")], authorized: true)
            #expect(reply.status == 200)
            #expect(reply.json?["delivered"] == .array([.object(["run_id": .string(second), "step": "approved"])]))
            #expect(reply.json?["not_matched"] == 1)
            let resumed = try await server.finished(second)
            #expect(resumed.output == #""Grace approved B-2""#)
            #expect(try await server.store.run(id: first)?.status == .waiting)

            // The same event again reaches nobody: each wait takes one event.
            let again = try await server.send(.POST, "/api/events/order-approved", body: #"{"order":"B-2","by":"Grace"}"#,
                                              headers: [("Content-Type", "application/json")], authorized: true)
            #expect(again.json?["delivered"] == .array([]))
        }
    }

    @Test func theResumeURLResumesItsRun() async throws {
        try await withServer(["approval.yaml": Self.approval]) { server in
            let id = try await start(server, order: "C-3")
            let link = try #require(try await server.store.steps(runID: id).first { $0.key.stepID == "link" }?.output)
            let url = try #require(try JSONValue(parsing: link).stringValue)
            #expect(url.hasPrefix("\(server.url)/resume/\(id)/"))
            let path = String(url.dropFirst(server.url.count))
            // A forged signature is not found.
            #expect(try await server.send(.POST, "/resume/\(id)/0000", body: "{}").status == 404)
            let reply = try await server.send(.POST, path, body: #"{"order":"C-3","by":"Linus"}"#,
                                              headers: [("Content-Type", "application/json")])
            #expect(reply.status == 200)
            #expect(try await server.finished(id).output == #""Linus approved C-3""#)
            #expect(try await server.send(.POST, path, body: "{}").status == 409)
        }
    }

    @Test func aWaitWithoutItsEventTimesOut() async throws {
        try await withServer(["approval.yaml": Self.approval]) { server in
            let id = try await start(server, order: "D-4")
            server.clock.advance(by: 3601)
            let run = try await server.finished(id, within: 20)
            #expect(run.status == .failed)
            let error = try JSONValue(parsing: run.error ?? "{}")
            #expect(error["message"]?.stringValue?.contains("no 'order-approved' event arrived within 1h") == true)
        }
    }
}

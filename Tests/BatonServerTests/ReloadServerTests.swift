import BatonStore
import Foundation
import JSONata
import Testing

/// Workflow files changed, added, broken and removed while the server runs.
@Suite(.timeLimit(.minutes(2)))
struct ReloadServerTests {
    static func echo(_ greeting: String, path: String = "/hooks/echo") -> String {
        """
        name: echo
        triggers:
          - webhook: { path: \(path), response: sync }
        steps:
          - id: say
            transform: ${{ "\(greeting) " & trigger.body.name }}
        """
    }

    @Test func changesAreServedWithoutARestartAndBrokenFilesKeepThePreviousVersion() async throws {
        let server = try ServerHarness()
        defer { server.remove() }
        try server.write("echo.yaml", Self.echo("hello"))
        try await server.start()
        let body = #"{"name":"Ada"}"#
        let json = [("Content-Type", "application/json")]
        #expect(try await server.send(.POST, "/hooks/echo", body: body, headers: json).text == #""hello Ada""#)

        // Changed: the new version serves.
        try server.write("echo.yaml", Self.echo("bonjour"))
        let changed = try await server.eventually {
            try await server.send(.POST, "/hooks/echo", body: body, headers: json).text == #""bonjour Ada""#
        }
        #expect(changed)

        // Broken: reported with its location, and the previous version keeps serving.
        try server.write("echo.yaml", "name: echo\nsteps:\n  - id: say\n    transform: ${{ 1 + }}\n")
        // the report is several log lines, written one after another: wait for all of them
        try await server.eventually {
            let text = server.logs.text
            return text.contains("echo.yaml is invalid") && text.contains("the previous version of 'echo' keeps serving")
                && text.contains("echo.yaml:4:")
        }
        #expect(server.logs.text.contains("the previous version of 'echo' keeps serving"))
        #expect(server.logs.text.contains("echo.yaml:4:"))
        #expect(try await server.send(.POST, "/hooks/echo", body: body, headers: json).text == #""bonjour Ada""#)

        // Added: a second workflow appears.
        try server.write("other.yaml", Self.echo("hi", path: "/hooks/other").replacingOccurrences(of: "name: echo", with: "name: other"))
        let added = try await server.eventually {
            try await server.send(.POST, "/hooks/other", body: body, headers: json).status == 200
        }
        #expect(added)

        // Removed: its path is gone.
        try FileManager.default.removeItem(at: server.workflows.appendingPathComponent("other.yaml"))
        let removed = try await server.eventually {
            try await server.send(.POST, "/hooks/other", body: body, headers: json).status == 404
        }
        #expect(removed)
        // Each run points at the version that ran.
        let versions = Set(try await server.runs(of: "echo").map(\.workflowVersionID))
        #expect(versions.count == 2)
        await server.stop()
    }
}

import ArgumentParser
import AsyncHTTPClient
import Foundation
import JSONata
import NIOCore
import NIOHTTP1

/// `baton run NAME --server URL`: starts a run through a server's REST API and follows it.
struct RemoteRun {
    let server: String
    let workflow: String
    let input: JSONValue?
    let json: Bool
    let detach: Bool
    /// How often the run's status is read while following it.
    static let pollInterval: Duration = .milliseconds(200)

    func run() async throws {
        guard let token = ProcessInfo.processInfo.environment["BATON_API_TOKEN"], !token.isEmpty else {
            printError("error: --server needs the server's API token in BATON_API_TOKEN (baton serve printed it when it created it)")
            throw ExitCode(2)
        }
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        let name = workflow.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? workflow
        let created = try await send(.POST, "\(base)/api/workflows/\(name)/runs", body: (input ?? .object([:])).serialized(),
                                     token: token)
        guard created.status == 201 || created.status == 200, let runID = created.body["run_id"]?.stringValue else {
            report(created)
            throw ExitCode(1)
        }
        if detach {
            print(runID)
            return
        }
        if !json { printError("run \(runID) of workflow '\(workflow)' started on \(base)") }
        while true {
            let current = try await send(.GET, "\(base)/api/runs/\(runID)", body: nil, token: token)
            guard current.status == 200 else {
                report(current)
                throw ExitCode(1)
            }
            let status = current.body["status"]?.stringValue ?? ""
            if ["succeeded", "failed", "cancelled"].contains(status) {
                if json {
                    print(current.body.serialized(pretty: true))
                } else {
                    if status == "succeeded", let output = current.body["output"] { print(output.serialized()) }
                    let message = current.body["error"]?["message"]?.stringValue.map { ": \($0)" } ?? ""
                    printError("run \(runID) \(status)\(status == "succeeded" ? "" : message)")
                }
                if status != "succeeded" { throw ExitCode(1) }
                return
            }
            try await Task.sleep(for: Self.pollInterval)
        }
    }

    private struct Reply {
        var status: Int
        var body: JSONValue
        var text: String
    }

    private func send(_ method: HTTPMethod, _ url: String, body: String?, token: String) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let text = String(buffer: try await response.body.collect(upTo: 64 << 20))
            return Reply(status: Int(response.status.code), body: (try? JSONValue(parsing: text)) ?? .null, text: text)
        } catch {
            printError("error: cannot reach the server at \(server): \(error)")
            throw ExitCode(1)
        }
    }

    /// Prints an API error: its message, and each problem when the inputs did not fit.
    private func report(_ reply: Reply) {
        let message = reply.body["error"]?["message"]?.stringValue ?? reply.text
        printError("error: the server answered \(reply.status): \(message)")
        if case .array(let problems)? = reply.body["error"]?["problems"] {
            for problem in problems { printError("  \(problem.stringValue ?? problem.serialized())") }
        }
    }
}

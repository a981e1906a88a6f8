import AsyncHTTPClient
import BatonCore
import BatonEngine
import Foundation
import JSONata
import NIOCore
import NIOHTTP1

/// `baton runs ... --server URL`: the same operations through a server's REST API.
struct RemoteRunsSource: RunsSource {
    let server: String
    let token: String
    /// How often a followed run's status is read.
    static let pollInterval: Duration = .milliseconds(200)

    private var base: String { server.hasSuffix("/") ? String(server.dropLast()) : server }

    func list(_ parameters: [(String, String)]) async throws -> JSONValue {
        try await expect(200, send(.GET, "/api/runs" + Self.query(parameters)))
    }

    func show(_ id: String) async throws -> JSONValue {
        try await expect(200, send(.GET, "/api/runs/\(Self.segment(id))"))
    }

    func retry(_ id: String) async throws -> (runID: String, created: Bool) {
        let reply = try await send(.POST, "/api/runs/\(Self.segment(id))/retry")
        let body = try expect([200, 201], reply)
        return (body["run_id"]?.stringValue ?? "", reply.status == 201)
    }

    func replay(_ id: String, version: RunOperations.ReplayVersion) async throws -> String {
        let body = try await expect(201, send(.POST, "/api/runs/\(Self.segment(id))/replay" + Self.query([("version", version.rawValue)])))
        return body["run_id"]?.stringValue ?? ""
    }

    func cancel(_ id: String) async throws -> JSONValue {
        try await expect(200, send(.POST, "/api/runs/\(Self.segment(id))/cancel"))
    }

    func export(_ parameters: [(String, String)], format: RunExport.Format, to output: FileHandle) async throws -> Int? {
        let request = self.request(.GET, "/api/runs/export" + Self.query(parameters + [("format", format.rawValue)]))
        do {
            // No overall deadline: an export of many runs takes as long as it takes.
            let response = try await HTTPClient.shared.execute(request, timeout: .hours(24))
            guard response.status == .ok else {
                let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
                _ = try expect(200, Reply(status: Int(response.status.code), text: text))
                return nil
            }
            for try await chunk in response.body {
                output.write(Data(chunk.readableBytesView))
            }
            return nil
        } catch let failure as RunsFailure {
            throw failure
        } catch {
            throw RunsFailure("the export from \(server) broke off: \(error)")
        }
    }

    func prune(olderThan: Duration) async throws -> JSONValue {
        try await expect(200, send(.POST, "/api/runs/prune" + Self.query([("older_than", DurationText.format(olderThan))]), timeout: .hours(1)))
    }

    func follow(_ runID: String, progress: Bool) async throws -> JSONValue {
        var last = ""
        while true {
            let run = try await show(runID)
            let status = run["status"]?.stringValue ?? ""
            if progress, status != last { printError("  run \(runID) is \(status)") }
            last = status
            if ["succeeded", "failed", "cancelled"].contains(status) { return run }
            try await Task.sleep(for: Self.pollInterval)
        }
    }

    // MARK: HTTP

    struct Reply {
        var status: Int
        var text: String
        var json: JSONValue? { try? JSONValue(parsing: text) }
    }

    private func request(_ method: HTTPMethod, _ path: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        return request
    }

    private func send(_ method: HTTPMethod, _ path: String, timeout: TimeAmount = .seconds(60)) async throws -> Reply {
        do {
            let response = try await HTTPClient.shared.execute(request(method, path), timeout: timeout)
            let text = String(buffer: try await response.body.collect(upTo: 64 << 20))
            return Reply(status: Int(response.status.code), text: text)
        } catch {
            throw RunsFailure("cannot reach the server at \(server): \(error)")
        }
    }

    /// The JSON body of a reply with one of the `expected` statuses, or the server's error as a failure:
    /// a 400 (bad filters) is a usage error, anything else a failure.
    private func expect(_ expected: Set<Int>, _ reply: Reply) throws -> JSONValue {
        if expected.contains(reply.status), let json = reply.json { return json }
        let error = reply.json?["error"]
        let message = error?["message"]?.stringValue ?? "\(reply.text.prefix(500))"
        let problems = error?["problems"]?.elements.compactMap(\.stringValue) ?? []
        if reply.status == 400 { throw RunsFailure(exitCode: 2, problems.isEmpty ? [message] : problems) }
        if reply.status == 401 {
            throw RunsFailure("the server at \(server) refused the API token (\(message)); set BATON_API_TOKEN to the token baton serve printed")
        }
        throw RunsFailure([message] + problems.map { "  \($0)" })
    }

    private func expect(_ expected: Int, _ reply: Reply) throws -> JSONValue {
        try expect([expected], reply)
    }

    /// `?name=value&...`, percent-encoded, or nothing.
    static func query(_ parameters: [(String, String)]) -> String {
        guard !parameters.isEmpty else { return "" }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "?" + parameters.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
    }

    /// A run id as one path segment.
    static func segment(_ id: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return id.addingPercentEncoding(withAllowedCharacters: allowed) ?? id
    }
}

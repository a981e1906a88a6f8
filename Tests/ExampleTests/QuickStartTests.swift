import AsyncHTTPClient
import Foundation
import JSONata
import NIOCore
import NIOHTTP1
import Testing

/// The README's quick start, command by command, on the real `baton` binary: its run command in
/// a folder holding the repository's `Workflows/`, then its `curl` request, with only the port
/// changed to the one the server got.
@Suite("Quick start")
struct QuickStartTests {
    /// The fenced `sh` blocks of the README's "Quick start" section, in order.
    static func commands() throws -> [String] {
        let readme = try Repository.text("README.md")
        let start = try #require(readme.range(of: "\n## Quick start\n"))
        let rest = readme[start.upperBound...]
        let section = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
        return section.components(separatedBy: "```sh\n").dropFirst().compactMap { block in
            block.components(separatedBy: "\n```").first?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    @Test("`swift run baton serve`, then the README's curl: the run maps the payload, calls the demo API and succeeds")
    func quickStart() async throws {
        let commands = try Self.commands()
        #expect(commands.first == "swift run baton serve")
        #expect(commands.last == "swift test")
        let run = ShellCommand(try #require(commands.first))
        try #require(Array(run.words.prefix(3)) == ["swift", "run", "baton"])
        let curl = ShellCommand(try #require(commands.first { $0.hasPrefix("curl ") }))

        // `swift run baton serve` serves ./Workflows into ./baton.sqlite: the same, in a folder of
        // its own, on a free port instead of 8080.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-quickstart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(at: Repository.root.appendingPathComponent("Workflows"),
                                         to: directory.appendingPathComponent("Workflows"))
        let serve = try await BatonServeProcess.start(Array(run.words.dropFirst(3)) + ["--port", "0"], in: directory)
        do {
            try await check(curl: curl, against: serve)
        } catch {
            await serve.stop()
            throw error
        }
        await serve.stop()
    }

    @Test("the demo API answers like a small messaging API: 201 with the message, 400 naming each problem")
    func demoAPI() async throws {
        let server = try ExampleServer(example: "none", files: [], environment: [:])
        try await server.serving {
            let json = [("Content-Type", "application/json")]
            let sent = try await server.post("/demo/messages", body: #"{"to": "ada@example.com", "text": "Hi"}"#,
                                             headers: json + [("Idempotency-Key", "run-1-send")])
            #expect(sent.status == 201)
            #expect(sent.json?["id"]?.stringValue?.hasPrefix("msg_") == true)
            #expect(sent.json?["to"] == "ada@example.com")
            #expect(sent.json?["characters"] == 2)
            #expect(sent.json?["status"] == "sent")
            #expect(sent.json?["idempotency_key"] == "run-1-send")

            let refused = try await server.post("/demo/messages", body: #"{"text": ""}"#, headers: json)
            #expect(refused.status == 400)
            #expect(refused.json?["error"]?["code"] == "invalid_request")
            #expect(refused.json?["error"]?["message"]
                == "'to' is missing: send who the message is for as text; 'text' must be non-empty text: what the message says")
            let notJSON = try await server.post("/demo/messages", body: "to=ada", headers: [])
            #expect(notJSON.status == 400)
            #expect(notJSON.json?["error"]?["code"] == "invalid_json")
        }
    }

    /// Sends the README's curl request to `serve` and checks the run it starts.
    private func check(curl: ShellCommand, against serve: BatonServeProcess) async throws {
        let valueOptions: Set<String> = ["-X", "--request", "-H", "--header", "-d", "--data", "--data-raw"]
        let target = try #require(curl.firstArgument(after: 1, optionsWithValue: valueOptions).flatMap(URL.init(string:)))
        #expect(target.host == "127.0.0.1")
        #expect(target.port == 8080)
        var request = HTTPClientRequest(url: serve.url + target.path)
        request.method = HTTPMethod(rawValue: curl.values(of: "-X", "--request").last ?? "POST")
        for header in curl.values(of: "-H", "--header") {
            let parts = header.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            request.headers.add(name: parts[0], value: parts.count > 1 ? parts[1] : "")
        }
        let payload = try #require(curl.values(of: "-d", "--data", "--data-raw").last)
        request.body = .bytes(ByteBuffer(string: payload))
        let answer = try await Self.send(request)
        #expect(answer.status == 202, "\(answer.text)\n\(serve.log)")
        let runID = try #require(answer.json?["run_id"]?.stringValue)
        let statusURL = try #require(answer.json?["status_url"]?.stringValue)

        // The run, read with the token the first start printed.
        let token = try #require(serve.log.firstMatch(of: #/created an API token for /api [^\n]*: (\S+)/#).map { String($0.1) },
                                 "no token in the log:\n\(serve.log)")
        var record: JSONValue? = nil
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            var get = HTTPClientRequest(url: statusURL)
            get.headers.add(name: "Authorization", value: "Bearer \(token)")
            record = try await Self.send(get).json
            if let status = record?["status"]?.stringValue, ["succeeded", "failed", "cancelled"].contains(status) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(record?["status"] == "succeeded", "\(record?.serialized() ?? "")\n\(serve.log)")
        let output = try #require(record?["output"])
        #expect(output["message_id"]?.stringValue?.hasPrefix("msg_") == true)
        #expect(output["sent_to"] == "ada@example.com")
        #expect(output["text"] == "Hello Ada, welcome to Baton!")

        // The run page the README points at: sign in with the token, then open the run.
        var signIn = HTTPClientRequest(url: serve.url + "/login?token=\(token)")
        signIn.method = .GET
        // The sign-in link sets the cookie on a redirect: read that answer, do not follow it.
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let signedIn: Answer
        do {
            signedIn = try await Self.send(signIn, with: client)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
        let cookie = try #require(signedIn.headers["Set-Cookie"].first?.split(separator: ";").first.map(String.init),
                                  "signing in set no cookie (status \(signedIn.status))")
        var page = HTTPClientRequest(url: serve.url + "/runs/\(runID)")
        page.headers.add(name: "Cookie", value: cookie)
        let runPage = try await Self.send(page)
        #expect(runPage.status == 200)
        #expect(runPage.text.contains(runID))
        #expect(runPage.text.contains("quickstart"))
    }

    private struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var text: String
        var json: JSONValue? { try? JSONValue(parsing: text) }
    }

    private static func send(_ request: HTTPClientRequest, with client: HTTPClient = .shared) async throws -> Answer {
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 4 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, text: String(buffer: body))
    }
}

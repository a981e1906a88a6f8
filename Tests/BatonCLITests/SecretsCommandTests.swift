import Foundation
import Hummingbird
import NIOCore
import Testing

/// `baton secrets` and what happens to a stored secret: it reaches the API it is meant for,
/// and its bytes appear nowhere else — not in the database file, its WAL, or the output.
@Suite(.timeLimit(.minutes(2)))
struct SecretsCommandTests {
    static let secret = "sk_live_Qx7-zz91-TOPSECRET"

    @Test func aStoredSecretIsSentButNeverWrittenAnywhere() async throws {
        let echo = EchoServer()
        try await echo.start()
        defer { echo.stop() }
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            name: leaky
            steps:
              - id: echo
                http:
                  method: POST
                  url: \(echo.url)/echo
                  auth:
                    bearer: ${{ secrets.API_TOKEN }}
                  headers:
                    X-Token: ${{ secrets.API_TOKEN }}
                  json:
                    note: "token ${{ secrets.API_TOKEN }}"
              - id: refused
                http:
                  method: POST
                  url: \(echo.url)/refuse
                  headers:
                    X-Token: ${{ secrets.API_TOKEN }}
            """.write(to: directory.appendingPathComponent("leaky.yaml"), atomically: true, encoding: .utf8)

        let set = try await BatonProcess.runAsync(["secrets", "set", "API_TOKEN"], in: directory, input: Self.secret + "\n")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stderr.contains("encrypted with the key from baton.sqlite.key"))
        let keyAttributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("baton.sqlite.key").path)
        #expect((keyAttributes[.posixPermissions] as? Int) == 0o600)

        let list = try await BatonProcess.runAsync(["secrets", "list"], in: directory)
        #expect(list.stdout.hasPrefix("API_TOKEN  updated "))

        let run = try await BatonProcess.runAsync(["run", "leaky.yaml", "--json"], in: directory)
        #expect(run.status == 1, "the second step is refused")
        // The secret reached the API it is meant for...
        #expect(echo.received.contains(Self.secret))
        // ...was echoed back in a response body and an error message, and was masked there.
        #expect(run.stdout.contains("***"))
        #expect(run.stdout.contains("refused"))
        // ...and its bytes are nowhere: output, database file, WAL.
        let needle = Data(Self.secret.utf8)
        #expect(!run.stdout.contains(Self.secret))
        #expect(!run.stderr.contains(Self.secret))
        for file in ["baton.sqlite", "baton.sqlite-wal", "baton.sqlite-shm"] {
            let path = directory.appendingPathComponent(file).path
            guard let bytes = FileManager.default.contents(atPath: path) else { continue }
            #expect(bytes.range(of: needle) == nil, "\(file) holds the secret")
        }
        let show = try await BatonProcess.runAsync(["secrets", "list", "--json"], in: directory)
        #expect(!show.stdout.contains(Self.secret))

        let deleted = try await BatonProcess.runAsync(["secrets", "delete", "API_TOKEN"], in: directory)
        #expect(deleted.status == 0)
        let again = try await BatonProcess.runAsync(["secrets", "delete", "API_TOKEN"], in: directory)
        #expect(again.status == 1)
        #expect(again.stderr.contains("no secret named 'API_TOKEN'"))
    }

    @Test func aSecretSetWithAnotherKeyIsReportedNotGarbled() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "name: noop\nsteps:\n  - id: x\n    transform: 1\n".write(to: directory.appendingPathComponent("noop.yaml"), atomically: true, encoding: .utf8)
        let set = try await BatonProcess.runAsync(["secrets", "set", "A", "--value", "one"], in: directory,
                                                  environment: ["BATON_SECRET_KEY": "first key"])
        #expect(set.status == 0)
        let run = try await BatonProcess.runAsync(["run", "noop.yaml"], in: directory, environment: ["BATON_SECRET_KEY": "second key"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("secret 'A' cannot be decrypted with the key from BATON_SECRET_KEY"))
        let bad = try await BatonProcess.runAsync(["secrets", "set", "no-dashes", "--value", "x"], in: directory)
        #expect(bad.status == 2)
    }
}

/// `POST /echo` answers the request's headers and body back; `POST /refuse` answers 500 with
/// the `X-Token` header in its error body, as careless APIs do.
final class EchoServer: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String] = []
    private var task: Task<Void, any Error>?
    private(set) var url = ""

    var received: String { lock.withLock { seen.joined(separator: "\n") } }

    func start() async throws {
        let router = Router()
        router.post("echo") { request, _ -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let token = request.headers.first { $0.name.canonicalName == "x-token" }?.value ?? ""
            let auth = request.headers[.authorization] ?? ""
            self.lock.withLock { self.seen.append(token + " " + auth + " " + body) }
            let answer = #"{"echo":"\#(token)","authorization":"\#(auth)","body":\#(body)}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
        }
        router.post("refuse") { request, _ -> Response in
            let token = request.headers.first { $0.name.canonicalName == "x-token" }?.value ?? ""
            return Response(status: .internalServerError, headers: [.contentType: "text/plain"],
                            body: .init(byteBuffer: ByteBuffer(string: "refused: token \(token) is not allowed here")))
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
        task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = stream.makeAsyncIterator()
        url = "http://127.0.0.1:\(await iterator.next() ?? 0)"
    }

    func stop() { task?.cancel() }
}

import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
@testable import BatonEngine

/// One request as the test server saw it.
struct SeenRequest: Sendable {
    var method: String
    var path: String
    var query: String
    var headers: [(String, String)]
    var body: String
    /// When the request arrived.
    var receivedAt = Date()

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// Records what the server received, for assertions on request shapes.
final class RequestLog: Sendable {
    private let entries = Mutex<[SeenRequest]>([])

    func append(_ request: SeenRequest) { entries.withLock { $0.append(request) } }
    var all: [SeenRequest] { entries.withLock { $0 } }
    func count(path: String) -> Int { all.filter { $0.path == path }.count }
    func last(path: String) -> SeenRequest? { all.last { $0.path == path } }
}

/// A counter shared between route handlers and the test.
final class Counter: Sendable {
    private let value = Mutex(0)
    func increment() -> Int { value.withLock { $0 += 1; return $0 } }
    var current: Int { value.withLock { $0 } }
}

typealias TestRouter = Router<BasicRequestContext>

/// Runs `body` against a real Hummingbird server on 127.0.0.1 (random port) with the routes
/// `configure` adds; every request is recorded in the log first.
func withTestServer<Value: Sendable>(
    _ configure: (TestRouter, RequestLog) -> Void,
    _ body: @Sendable (_ baseURL: String, _ log: RequestLog, _ client: StepHTTPClient) async throws -> Value
) async throws -> Value {
    let log = RequestLog()
    let router = TestRouter()
    router.add(middleware: RecordingMiddleware(log: log))
    configure(router, log)
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    return try await app.test(.live) { client in
        let base = "http://127.0.0.1:\(client.port!)"
        return try await body(base, log, StepHTTPClient(client: HTTPClient.shared))
    }
}

/// Records each request (its body collected) before the route runs.
struct RecordingMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let log: RequestLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        log.append(SeenRequest(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
                               headers: request.headers.map { ($0.name.rawName, $0.value) },
                               body: String(buffer: buffer)))
        return try await next(request, context)
    }
}

/// A response with `body` and `contentType`.
func reply(_ status: HTTPResponse.Status = .ok, _ body: String, contentType: String? = "application/json",
           headers extra: [(String, String)] = []) -> Response {
    var headers = HTTPFields()
    if let contentType { headers[.contentType] = contentType }
    for (name, value) in extra { headers[.init(name)!] = value }
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
}

/// A loopback port with nothing listening on it: bound, then closed.
func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    precondition(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    precondition(bound == 0)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

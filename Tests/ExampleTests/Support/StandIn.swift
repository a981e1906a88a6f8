import Foundation
import HTTPTypes
import Hummingbird
import JSONata
import Logging
import NIOCore
import Synchronization

/// A real HTTP server on 127.0.0.1 that stands in for a third-party API: every request is
/// recorded as it arrived, and `answer` decides the reply (paths, headers and bodies checked
/// there, replies shaped like the real API's, errors and 429s included).
final class StandIn: Sendable {
    /// One request as the service saw it.
    struct Request: Sendable {
        var method: String
        var path: String
        /// Query parameters, percent-decoded; a repeated name keeps its last value.
        var query: [String: String]
        /// Header fields with lowercase names; a repeated name keeps its values joined by ", ".
        var headers: [String: String]
        var body: String
        /// When it arrived.
        var received: ContinuousClock.Instant
        var json: JSONValue? { try? JSONValue(parsing: body) }
        /// The bearer token of `Authorization`, if that is what it carries.
        var bearer: String? {
            headers["authorization"].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        }
        /// The user and password of HTTP basic authentication.
        var basic: (user: String, password: String)? {
            guard let value = headers["authorization"], value.hasPrefix("Basic "),
                  let data = Data(base64Encoded: String(value.dropFirst(6))) else { return nil }
            let text = String(decoding: data, as: UTF8.self)
            guard let colon = text.firstIndex(of: ":") else { return nil }
            return (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }
    }

    /// What the service answers.
    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)] = []
        var body: String = ""

        /// A JSON body (`Content-Type` as given, `application/json` by default).
        static func json(_ status: Int, _ value: JSONValue, contentType: String = "application/json; charset=utf-8",
                         headers: [(String, String)] = []) -> Reply {
            Reply(status: status, headers: [("Content-Type", contentType)] + headers, body: value.serialized())
        }

        /// A text body.
        static func text(_ status: Int, _ text: String, contentType: String = "text/plain; charset=utf-8",
                         headers: [(String, String)] = []) -> Reply {
            Reply(status: status, headers: [("Content-Type", contentType)] + headers, body: text)
        }
    }

    private let name: String
    private let answerer = Mutex<(@Sendable (Request) async -> Reply)?>(nil)
    private let recorded = Mutex<[Request]>([])
    private let port = Mutex<Int?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)

    /// A stand-in called `name` (in failure messages); it answers 501 until ``answer(with:)``.
    init(_ name: String) {
        self.name = name
    }

    /// Sets how the service answers (set by the owner of the service's state, once it exists).
    func answer(with answer: @escaping @Sendable (Request) async -> Reply) {
        answerer.withLock { $0 = answer }
    }

    /// `http://127.0.0.1:PORT`, once started.
    var url: String { "http://127.0.0.1:\(port.withLock { $0 } ?? 0)" }

    /// Every request so far, in arrival order.
    var requests: [Request] { recorded.withLock { $0 } }

    /// The requests to `path` (and `method`, if given).
    func requests(to path: String, method: String? = nil) -> [Request] {
        requests.filter { $0.path == path && (method == nil || $0.method == method) }
    }

    /// Starts listening on a free port; returns once it accepts connections (at most 30 s).
    func start() async throws {
        let app = Application(responder: Responder(service: self),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: name),
                              onServerRunning: { [self] channel in self.port.withLock { $0 = channel.localAddress?.port } },
                              logger: Self.quietLogger)
        task.withLock { $0 = Task { try await app.runService() } }
        let deadline = ContinuousClock.now + .seconds(30)  // generous: a loaded 2-core machine starts late
        while port.withLock({ $0 }) == nil {
            guard ContinuousClock.now < deadline else { throw StartFailed(name: name) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The stand-in's own server logs only what would be a fault of the test itself.
    private static var quietLogger: Logger {
        var logger = Logger(label: "stand-in")
        logger.logLevel = .critical
        return logger
    }

    /// Stops listening.
    func stop() {
        task.withLock { $0?.cancel() }
    }

    fileprivate func handle(_ request: Hummingbird.Request) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 4 << 20)
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        var query: [String: String] = [:]
        // Hummingbird decodes the values but not the names (`sort%5B0%5D` for `sort[0]`).
        for (key, value) in request.uri.queryParameters { query[String(key).removingPercentEncoding ?? String(key)] = String(value) }
        let seen = Request(method: request.method.rawValue, path: request.uri.path, query: query, headers: headers,
                           body: String(buffer: bytes), received: .now)
        recorded.withLock { $0.append(seen) }
        let answer = answerer.withLock { $0 }
        let reply = await answer?(seen) ?? .text(501, "no answer set for \(name)")
        var fields = HTTPFields()
        for (name, value) in reply.headers {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        return Response(status: .init(code: reply.status), headers: fields,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body)))
    }

    private struct Responder: HTTPResponder {
        let service: StandIn
        func respond(to request: Hummingbird.Request, context: BasicRequestContext) async throws -> Response {
            try await service.handle(request)
        }
    }

    private struct StartFailed: Error, CustomStringConvertible {
        var name: String
        var description: String { "the stand-in for \(name) did not start listening within 30 s" }
    }
}

extension StandIn {
    /// Starts `services`, runs `body`, and stops them, also when `body` throws.
    static func running(_ services: [StandIn], _ body: () async throws -> Void) async throws {
        for service in services { try await service.start() }
        defer { for service in services { service.stop() } }
        try await body()
    }
}

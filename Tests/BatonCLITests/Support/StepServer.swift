import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A real HTTP server on 127.0.0.1, in the test process, for the `baton` binary to call.
///
/// `POST /step/NAME` with `{"value": TEXT}` answers `{"value": "TEXT/NAME"}` after a delay
/// drawn from `delay`: the answer depends only on the request, so a repeated request gets
/// the same answer. Every request is recorded with its `Idempotency-Key`, `X-Worker` and
/// times in and out; two requests with the same key in flight at once are a violation.
final class StepServer: Sendable {
    /// One request as the server saw it.
    struct Seen: Sendable {
        var path: String
        var key: String?
        var worker: String?
        var body: String
        var started: ContinuousClock.Instant
        var finished: ContinuousClock.Instant?
    }

    private struct State {
        var seen: [Seen] = []
        var inFlight: [String: Int] = [:]
        var violations: [String] = []
    }

    private let state = Mutex(State())
    private let delay: ClosedRange<Int>
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let boundPort = Mutex<Int?>(nil)

    /// The base URL, once started.
    var baseURL: String { "http://127.0.0.1:\(boundPort.withLock { $0 } ?? 0)" }

    /// Creates a server whose step answers take `delay` milliseconds.
    init(delay: ClosedRange<Int>) {
        self.delay = delay
    }

    /// Starts listening on a free port; returns once it accepts connections (at most 30 s).
    func start() async throws {
        let router = Router()
        router.post("/step/:name") { [self] request, context in
            try await self.handle(request, name: context.parameters.get("name") ?? "")
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { [self] channel in self.boundPort.withLock { $0 = channel.localAddress?.port } })
        task.withLock { $0 = Task { try await app.runService() } }
        let deadline = ContinuousClock.now + .seconds(30)  // generous: a loaded 2-core machine starts late
        while boundPort.withLock({ $0 }) == nil {
            guard ContinuousClock.now < deadline else { throw StartFailed() }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Stops the server.
    func stop() {
        task.withLock { $0?.cancel() }
    }

    private func handle(_ request: Request, name: String) async throws -> Response {
        let started = ContinuousClock.now
        let key = request.headers.first { $0.name.canonicalName == "idempotency-key" }?.value
        let worker = request.headers.first { $0.name.canonicalName == "x-worker" }?.value
        let bodyText = String(buffer: try await request.body.collect(upTo: 1 << 20))
        let index = state.withLock { state -> Int in
            if let key {
                if state.inFlight[key, default: 0] > 0 { state.violations.append(key) }
                state.inFlight[key, default: 0] += 1
            }
            state.seen.append(Seen(path: request.uri.path, key: key, worker: worker, body: bodyText, started: started))
            return state.seen.count - 1
        }
        try? await Task.sleep(for: .milliseconds(Int.random(in: delay)))
        state.withLock { state in
            if let key { state.inFlight[key, default: 1] -= 1 }
            state.seen[index].finished = .now
        }
        let value = (try? JSONSerialization.jsonObject(with: Data(bodyText.utf8)) as? [String: Any])?["value"] as? String ?? "?"
        let answer = try JSONSerialization.data(withJSONObject: ["value": "\(value)/\(name)"])
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer)))
    }

    /// Every request so far.
    var seen: [Seen] { state.withLock { $0.seen } }
    /// Keys that were sent again while a request with the same key was still being answered.
    var violations: [String] { state.withLock { $0.violations } }

    private struct StartFailed: Error, CustomStringConvertible {
        var description: String { "the test server did not start listening within 30 s" }
    }
}

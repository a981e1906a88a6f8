import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A real HTTP server on 127.0.0.1 for the steps of audit tests: `POST /fetch` answers
/// `{"id": 7}`; `POST /charge` answers 500 while `failing` is set, then `{"charged": true}`.
/// Every request is counted by path.
final class FlakyStepServer: Sendable {
    private struct State {
        var calls: [String: Int] = [:]
        var failing = true
        var port: Int?
    }

    private let state = Mutex(State())
    private let task = Mutex<Task<Void, any Error>?>(nil)

    /// The base URL, once started.
    var url: String { "http://127.0.0.1:\(state.withLock { $0.port } ?? 0)" }

    /// Whether `/charge` fails.
    var failing: Bool {
        get { state.withLock { $0.failing } }
        set { state.withLock { $0.failing = newValue } }
    }

    /// How many requests reached `path`.
    func calls(_ path: String) -> Int { state.withLock { $0.calls[path] ?? 0 } }

    /// Starts listening on a free port; returns once it accepts connections (at most 30 s).
    func start() async throws {
        let router = Router()
        router.post("fetch") { [self] _, _ in respond("/fetch", failing: false, #"{"id":7}"#) }
        router.post("charge") { [self] _, _ in respond("/charge", failing: nil, #"{"charged":true}"#) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { [self] channel in state.withLock { $0.port = channel.localAddress?.port } })
        task.withLock { $0 = Task { try await app.runService(gracefulShutdownSignals: []) } }
        let deadline = ContinuousClock.now + .seconds(30)  // generous: a loaded 2-core machine starts late
        while state.withLock({ $0.port }) == nil {
            guard ContinuousClock.now < deadline else { throw StartFailed() }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Stops the server.
    func stop() { task.withLock { $0?.cancel() } }

    private func respond(_ path: String, failing fixed: Bool?, _ body: String) -> Response {
        let fails = state.withLock { state -> Bool in
            state.calls[path, default: 0] += 1
            return fixed ?? state.failing
        }
        if fails {
            return Response(status: .internalServerError, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"error":"card declined by the test"}"#)))
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    private struct StartFailed: Error, CustomStringConvertible {
        var description: String { "the step server did not start listening within 30 s" }
    }
}

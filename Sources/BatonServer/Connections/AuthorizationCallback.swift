import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The loopback end of an OAuth2 authorization-code sign-in (RFC 8252 §7.3): listens on
/// 127.0.0.1 for the one redirect that brings the code back from the user's browser, lets the
/// caller finish the sign-in while the browser waits, and shows the browser the outcome.
public enum AuthorizationCallback {
    /// What the redirect carried.
    public struct Redirect: Sendable, Hashable {
        /// The authorization code, when the user granted access.
        public var code: String?
        /// The `state` sent in the authorization URL.
        public var state: String?
        /// The provider's error code (`access_denied`), when it refused.
        public var error: String?
        /// The provider's explanation of the error.
        public var errorDescription: String?
    }

    /// Why no redirect came.
    public struct TimedOut: Error, CustomStringConvertible {
        /// Where it waited.
        public var redirectURI: String
        /// How long it waited.
        public var waited: Duration
        /// What happened and what to do.
        public var description: String {
            "no redirect reached \(redirectURI) within \(waited.components.seconds) s; open the URL again, or finish with --code CODE"
        }
    }

    /// The loopback port could not be opened.
    public struct CannotListen: Error, CustomStringConvertible {
        /// The port asked for.
        public var port: Int
        /// What happened and what to do.
        public var description: String {
            "cannot listen on 127.0.0.1:\(port) for the redirect (is the port in use?); free it, or pick another with --port"
        }
    }

    /// Listens on `127.0.0.1:port` (0: any free port) for `GET path`. `listening` gets the
    /// redirect URI once connections are accepted (show the authorization URL then); `handle`
    /// runs for the first redirect that carries a code or an error, and gives the text the
    /// browser shows and the result returned. Throws ``TimedOut`` after `timeout`.
    public static func receive<Outcome: Sendable>(
        port: Int, path: String = "/callback", timeout: Duration,
        listening: @escaping @Sendable (String) async throws -> Void,
        handle: @escaping @Sendable (Redirect) async -> (page: String, outcome: Outcome)
    ) async throws -> Outcome {
        let state = ListenerState<Outcome>()
        let app = makeApplication(port: port, path: path, state: state, handle: handle)
        var logger = Logger(label: "baton-connect")
        logger.logLevel = .critical
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], cancellationSignals: [],
                                                      logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Result<Outcome, any Error>
            do {
                result = .success(try await wait(for: state, port: port, timeout: timeout, listening: listening))
            } catch {
                result = .failure(error)
            }
            // Graceful: the browser's response is written before the listener closes.
            await group.triggerGracefulShutdown()
            tasks.addTask { try await Task.sleep(for: .seconds(5)) }  // bounds the shutdown
            _ = try? await tasks.next()
            tasks.cancelAll()
            return try result.get()
        }
    }

    private static func wait<Outcome: Sendable>(for state: ListenerState<Outcome>, port: Int, timeout: Duration,
                                                listening: @escaping @Sendable (String) async throws -> Void) async throws -> Outcome {
        try await withThrowingTaskGroup(of: Outcome?.self) { tasks in
            tasks.addTask {
                let started = ContinuousClock.now
                while state.boundURI == nil {
                    guard ContinuousClock.now - started < .seconds(10) else { throw CannotListen(port: port) }
                    try await Task.sleep(for: .milliseconds(10))
                }
                try await listening(state.boundURI!)
                for await outcome in state.outcomes.stream { return outcome }
                return nil
            }
            tasks.addTask {
                try await Task.sleep(for: timeout)
                throw TimedOut(redirectURI: state.boundURI ?? "127.0.0.1:\(port)", waited: timeout)
            }
            defer { tasks.cancelAll() }
            while let next = try await tasks.next() {
                if let outcome = next { return outcome }
            }
            throw CancellationError()
        }
    }

    private static func makeApplication<Outcome: Sendable>(
        port: Int, path: String, state: ListenerState<Outcome>,
        handle: @escaping @Sendable (Redirect) async -> (page: String, outcome: Outcome)
    ) -> some Service {
        let router = Router()
        router.get(RouterPath(path)) { request, _ -> Response in
            let query = request.uri.queryParameters
            let redirect = Redirect(code: query["code"].map(String.init), state: query["state"].map(String.init),
                                    error: query["error"].map(String.init),
                                    errorDescription: query["error_description"].map(String.init))
            guard redirect.code != nil || redirect.error != nil else {
                return page(.badRequest, "This address only receives the redirect of a sign-in.")
            }
            guard state.claim() else { return page(.conflict, "This sign-in was already handled; see the terminal.") }
            let (text, outcome) = await handle(redirect)
            state.outcomes.continuation.yield(outcome)
            return page(.ok, text)
        }
        var logger = Logger(label: "baton-connect")
        logger.logLevel = .critical
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "baton-connect"),
                           onServerRunning: { channel in state.bind("http://127.0.0.1:\(channel.localAddress?.port ?? port)\(path)") },
                           logger: logger)
    }

    private static func page(_ status: HTTPResponse.Status, _ text: String) -> Response {
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        let html = "<!doctype html><meta charset=utf-8><title>Baton</title><p>\(escaped)</p>\n"
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .connection: "close"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}

/// What the listener's request handler and its waiter share.
private final class ListenerState<Outcome: Sendable>: Sendable {
    private let uri = Mutex<String?>(nil)
    private let claimed = Mutex(false)
    let outcomes = AsyncStream<Outcome>.makeStream()

    var boundURI: String? { uri.withLock { $0 } }
    func bind(_ value: String) { uri.withLock { $0 = value } }

    /// True for the first redirect only.
    func claim() -> Bool {
        claimed.withLock { taken in
            defer { taken = true }
            return !taken
        }
    }
}

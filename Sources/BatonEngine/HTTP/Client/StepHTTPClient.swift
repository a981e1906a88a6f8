import AsyncHTTPClient
import Foundation
import JSONata
import NIOCore
import NIOHTTP1

/// Sends the requests of `http`, `graphql` and `soap` steps over one shared `HTTPClient`.
///
/// The client is passed in and never created per request: connection pools, TLS sessions and
/// event loops belong to the process. Every method makes exactly one attempt (or one series of
/// pages); the executor drives retries with ``RetryClassifier`` and ``Backoff``.
public struct StepHTTPClient: Sendable {
    /// Limits and injected time.
    public struct Configuration: Sendable {
        /// The largest response body read, in bytes (10 MiB by default).
        public var maxResponseBytes: Int
        /// The wall clock, read to turn a `Retry-After` date into a wait.
        public var now: @Sendable () -> Date

        /// Creates a configuration.
        public init(maxResponseBytes: Int = 10 * 1024 * 1024, now: @escaping @Sendable () -> Date = { Date() }) {
            self.maxResponseBytes = maxResponseBytes
            self.now = now
        }
    }

    /// The shared client.
    public let client: HTTPClient
    /// Limits and injected time.
    public let configuration: Configuration
    /// Where OAuth2 access tokens are cached.
    public let tokens: any OAuth2TokenProviding

    /// Creates a step client over `client`.
    public init(client: HTTPClient, configuration: Configuration = .init(),
                tokens: any OAuth2TokenProviding = OAuth2TokenCache()) {
        self.client = client
        self.configuration = configuration
        self.tokens = tokens
    }

    /// Sends `request` once and reads the whole response, whatever its status.
    ///
    /// - Throws: ``StepCallError`` (network, timeout, tooLarge, invalidRequest, invalidResponse)
    ///   or `CancellationError` when the task is cancelled.
    public func send(_ request: PreparedRequest) async throws -> HTTPResult {
        guard let url = URL(string: request.url), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw StepCallError(.invalidRequest,
                                message: "cannot send \(request.method) \(request.url): it is not an absolute http:// or https:// URL; check the step's url",
                                method: request.method, url: request.url)
        }
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers {
            outgoing.headers.add(name: name, value: value)
        }
        if let body = request.body {
            if !request.hasHeader("Content-Type") {
                outgoing.headers.add(name: "Content-Type", value: body.contentType)
            }
            outgoing.body = .bytes(ByteBuffer(bytes: body.bytes))
        }
        let clock = ContinuousClock()
        let start = clock.now
        let limit = configuration.maxResponseBytes
        let client = self.client
        let timeout = request.timeout
        let prepared = outgoing
        let isHead = request.method == "HEAD"
        do {
            let headReceived = OnceFlag()
            let attempt = Task { () throws -> (Int, [(String, String)], [UInt8]) in
                let deadline = NIODeadline.now() + .nanoseconds(timeout.nanoseconds)
                let response = try await client.execute(prepared, deadline: deadline)
                headReceived.set()
                let headers = response.headers.map { ($0.name, $0.value) }
                // A HEAD answer's Content-Length describes the body a GET would get, not this one.
                if !isHead, let length = response.headers.first(name: "content-length").flatMap(Int.init), length > limit {
                    throw TooLarge()
                }
                let buffer: ByteBuffer
                do {
                    buffer = try await response.body.collect(upTo: limit)
                } catch is NIOTooManyBytesError {
                    throw TooLarge()
                }
                return (Int(response.status.code), headers, Array(buffer.readableBytesView))
            }
            // AsyncHTTPClient's own deadline (above) ends the wait for the response head, and
            // then reports a refused connection as such; this one bounds the whole attempt, body
            // included. Before the head it only steps in well after AsyncHTTPClient should have
            // (a loaded machine runs that late), so that the connection error is the one reported.
            let outOfTime = OnceFlag()
            let deadlines = AttemptDeadlines.shared
            let watches = WatchTokens()
            watches.add(deadlines.watch(until: start + timeout + .milliseconds(200)) {
                if headReceived.isSet {
                    outOfTime.set()
                    attempt.cancel()
                } else {
                    watches.add(deadlines.watch(until: start + timeout + .seconds(2)) {
                        outOfTime.set()
                        attempt.cancel()
                    })
                }
            })
            defer { watches.cancelAll(in: deadlines) }
            let status: Int, headers: [(String, String)], bytes: [UInt8]
            do {
                (status, headers, bytes) = try await withTaskCancellationHandler {
                    try await attempt.value
                } onCancel: {
                    attempt.cancel()
                }
            } catch {
                // Out of time. A request still waiting for a connection fails, once cancelled,
                // with the last connection error (AsyncHTTPClient keeps retrying refused
                // connections until the deadline): report that rather than a bare timeout.
                guard outOfTime.isSet else { throw error }
                if Self.isConnectionFailure(error) { throw error }
                throw AttemptTimedOut()
            }
            let duration = start.duration(to: clock.now)
            let body: JSONValue?
            do {
                body = try ResponseBodyDecoder.decode(bytes, contentType: headers.first { $0.0.equalsIgnoringCase("Content-Type") }?.1)
            } catch {
                throw StepCallError(.invalidResponse,
                                    message: "\(request.method) \(request.url) answered \(status), but \(error.message); check that the URL points at the API and not at a proxy or error page",
                                    method: request.method, url: request.url, responseHeaders: headers)
            }
            return HTTPResult(status: status, headers: headers, body: body, rawBody: bytes, duration: duration)
        } catch let error as StepCallError {
            throw error
        } catch {
            throw try classify(error, request: request)
        }
    }

    /// The step error for a transport failure; cancellation is passed through.
    private func classify(_ error: any Error, request: PreparedRequest) throws -> StepCallError {
        let what = "\(request.method) \(request.url)"
        func make(_ kind: StepCallError.Kind, _ message: String) -> StepCallError {
            StepCallError(kind, message: message, method: request.method, url: request.url, cause: "\(error)")
        }
        switch error {
        case is TooLarge:
            return make(.tooLarge(limit: configuration.maxResponseBytes),
                        "\(what) returned a body larger than the \(Self.byteText(configuration.maxResponseBytes)) limit; ask for less (filters, pagination) or raise maxResponseBytes")
        case is AttemptTimedOut:
            return make(.timeout, "\(what) did not answer within \(Self.durationText(request.timeout)); check that the service is healthy, or raise the step's timeout")
        case is CancellationError:
            throw error
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout:
                return make(.timeout, "\(what) did not answer within \(Self.durationText(request.timeout)); check that the service is healthy, or raise the step's timeout")
            case .cancelled:
                throw CancellationError()
            case .invalidURL, .emptyHost, .emptyScheme:
                return make(.invalidRequest, "cannot send \(what): the URL is not a valid http(s) URL (\(error)); check the step's url")
            default:
                return make(.network, "\(what) failed: \(error); check that the service is reachable and speaks HTTP at that address")
            }
        default:
            return make(.network, "\(what) failed: could not connect or the connection broke (\(Self.reason(error))); check that the service is up and the URL's host and port are right")
        }
    }

    /// Whether `error` says a connection could not be made (refused, unreachable, DNS).
    static func isConnectionFailure(_ error: any Error) -> Bool {
        if error is CancellationError || error is TooLarge || error is AttemptTimedOut { return false }
        if let error = error as? HTTPClientError {
            return error != .cancelled && error != .deadlineExceeded && error != .connectTimeout
                && error != .getConnectionFromPoolTimeout && error != .readTimeout && error != .writeTimeout
        }
        return true
    }

    /// A short reason for a transport error: the system's text for an errno ("Connection refused").
    static func reason(_ error: any Error) -> String {
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        return "\(error)"
    }

    static func byteText(_ bytes: Int) -> String {
        bytes % (1024 * 1024) == 0 ? "\(bytes / (1024 * 1024)) MiB" : bytes % 1024 == 0 ? "\(bytes / 1024) KiB" : "\(bytes)-byte"
    }

    static func durationText(_ duration: Duration) -> String {
        let ms = duration.milliseconds
        if ms < 1000 { return "\(Int(ms.rounded())) ms" }
        let seconds = ms / 1000
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }

    private struct TooLarge: Error {}
    private struct AttemptTimedOut: Error {}
}

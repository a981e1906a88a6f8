import Crypto
import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A local OAuth2 provider and the API it protects, on 127.0.0.1, for the connection tests.
///
/// - `GET /authorize` checks the client, the redirect URI and an S256 code challenge, and
///   redirects (302) to the redirect URI with a one-time code and the state.
/// - `POST /token` exchanges a code only with the PKCE verifier of its challenge, and a
///   refresh token only if it is the current one: every refresh rotates it (the old one gets
///   `invalid_grant`). Access tokens last ``accessLifetime`` seconds.
/// - `GET /api` answers 401 to an unknown or expired access token, and echoes the token it
///   accepted (so that tests can check it is redacted).
public final class ConnectTestProvider: Sendable {
    public struct State: Sendable {
        /// The provider's time: tests that drive a clock make the provider read it too.
        public var now: @Sendable () -> Date = { Date() }
        public var accessLifetime: Double = 3600
        public var tokenDelay: Duration = .zero
        public var apiDelay: Duration = .zero
        /// Code → (challenge, redirect URI).
        public var codes: [String: (String, String)] = [:]
        public var refreshToken: String?
        public var refreshTokenExpired = false
        /// Access token → expiry, and whether a refresh issued it.
        public var accessTokens: [String: (Date, Bool)] = [:]
        public var issued = 0
        public var refreshCalls = 0
        public var codeCalls = 0
        public var apiCalls = 0
        public var apiCallsWithRefreshedToken = 0
        public var unauthorized = 0
        public var rejectedVerifiers = 0
    }

    public static let clientID = "baton-app"
    public static let clientSecret = "client-s3cret-value"

    public let state = Mutex(State())

    /// A provider not yet listening; see ``start()``.
    public init() {}
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let boundPort = Mutex<Int?>(nil)

    /// The base URL, once started.
    public var baseURL: String { "http://127.0.0.1:\(boundPort.withLock { $0 } ?? 0)" }

    /// Reads the state.
    public func read<T: Sendable>(_ body: (State) -> T) -> T { state.withLock { body($0) } }

    /// Changes the state.
    public func change(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }

    /// Makes every access token issued so far expired, as if the provider revoked them.
    public func expireAccessTokens() {
        change { state in
            for (token, value) in state.accessTokens { state.accessTokens[token] = (Date(timeIntervalSince1970: 0), value.1) }
        }
    }

    /// The refresh token that works now.
    public var currentRefreshToken: String? { read { $0.refreshToken } }

    /// Starts listening on a free port; returns once it accepts connections (at most 30 s).
    public func start() async throws {
        let router = Router()
        router.get("/authorize") { [self] request, _ in self.authorize(request) }
        router.post("/token") { [self] request, _ in try await self.token(request) }
        router.get("/api") { [self] request, _ in try await self.api(request) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { [self] channel in self.boundPort.withLock { $0 = channel.localAddress?.port } })
        task.withLock { $0 = Task { try await app.runService(gracefulShutdownSignals: []) } }
        let deadline = ContinuousClock.now + .seconds(30)  // generous: a loaded 2-core machine starts late
        while boundPort.withLock({ $0 }) == nil {
            guard ContinuousClock.now < deadline else { throw StartFailed() }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Stops the server.
    public func stop() {
        task.withLock { $0?.cancel() }
    }

    public struct StartFailed: Error {}

    // MARK: Endpoints

    private func authorize(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        guard query["response_type"].map(String.init) == "code", query["client_id"].map(String.init) == Self.clientID,
              query["code_challenge_method"].map(String.init) == "S256",
              let challenge = query["code_challenge"].map(String.init), challenge.count == 43,
              let redirect = query["redirect_uri"].map(String.init), let state = query["state"].map(String.init) else {
            return Self.json(.badRequest, #"{"error":"invalid_request"}"#)
        }
        let code = self.state.withLock { state -> String in
            state.issued += 1
            let code = "code-\(state.issued)-\(UUID().uuidString.prefix(8))"
            state.codes[code] = (challenge, redirect)
            return code
        }
        let location = "\(redirect)?code=\(code)&state=\(state.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? state)"
        return Response(status: .found, headers: [.location: location])
    }

    private func token(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 16)
        let form = Self.form(String(buffer: body))
        let delay = read { $0.tokenDelay }
        if delay > .zero { try await Task.sleep(for: delay) }
        guard Self.clientAuthenticated(request, form: form) else { return Self.json(.unauthorized, #"{"error":"invalid_client"}"#) }
        switch form["grant_type"] {
        case "authorization_code":
            return state.withLock { state in
                state.codeCalls += 1
                guard let code = form["code"], let (challenge, redirect) = state.codes.removeValue(forKey: code) else {
                    return Self.json(.badRequest, #"{"error":"invalid_grant","error_description":"unknown or used code"}"#)
                }
                guard form["redirect_uri"] == redirect else {
                    return Self.json(.badRequest, #"{"error":"invalid_grant","error_description":"redirect_uri differs"}"#)
                }
                guard let verifier = form["code_verifier"], Self.challenge(verifier) == challenge else {
                    state.rejectedVerifiers += 1
                    return Self.json(.badRequest, #"{"error":"invalid_grant","error_description":"PKCE verifier does not match"}"#)
                }
                return Self.issue(&state, byRefresh: false)
            }
        case "refresh_token":
            return state.withLock { state in
                state.refreshCalls += 1
                guard let presented = form["refresh_token"], presented == state.refreshToken, !state.refreshTokenExpired else {
                    return Self.json(.badRequest, #"{"error":"invalid_grant","error_description":"refresh token expired or revoked"}"#)
                }
                return Self.issue(&state, byRefresh: true)
            }
        default:
            return Self.json(.badRequest, #"{"error":"unsupported_grant_type"}"#)
        }
    }

    private func api(_ request: Request) async throws -> Response {
        let header = request.headers[.authorization] ?? ""
        let token = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : ""
        let (known, delay) = state.withLock { state -> (Bool?, Duration) in
            state.apiCalls += 1
            guard let (expiry, byRefresh) = state.accessTokens[token], expiry > state.now() else {
                state.unauthorized += 1
                return (nil, .zero)
            }
            if byRefresh { state.apiCallsWithRefreshedToken += 1 }
            return (byRefresh, state.apiDelay)
        }
        guard known != nil else { return Self.json(.unauthorized, #"{"error":"invalid_token"}"#) }
        if delay > .zero { try await Task.sleep(for: delay) }
        return Self.json(.ok, #"{"ok":true,"token":"\#(token)"}"#)
    }

    // MARK: Helpers

    private static func issue(_ state: inout State, byRefresh: Bool) -> Response {
        state.issued += 1
        let access = "at-\(state.issued)-\(UUID().uuidString)"
        let refresh = "rt-\(state.issued)-\(UUID().uuidString)"
        state.accessTokens[access] = (state.now().addingTimeInterval(state.accessLifetime), byRefresh)
        state.refreshToken = refresh
        let lifetime = state.accessLifetime
        return json(.ok, #"{"access_token":"\#(access)","token_type":"bearer","expires_in":\#(lifetime),"refresh_token":"\#(refresh)","scope":"post.write offline.access"}"#)
    }

    private static func clientAuthenticated(_ request: Request, form: [String: String]) -> Bool {
        if let header = request.headers[.authorization], header.hasPrefix("Basic "),
           let data = Data(base64Encoded: String(header.dropFirst(6))) {
            let pair = String(decoding: data, as: UTF8.self).split(separator: ":", maxSplits: 1).map(String.init)
            return pair.count == 2 && pair[0].removingPercentEncoding == clientID && pair[1].removingPercentEncoding == clientSecret
        }
        return form["client_id"] == clientID && form["client_secret"] == clientSecret
    }

    public static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    private static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The PKCE S256 challenge of `verifier`: base64url of its SHA-256, unpadded (swift-crypto's
    /// SHA-256, independent of the code under test).
    public static func challenge(_ verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

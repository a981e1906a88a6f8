import BatonCore
import BatonStore
import Foundation
import Hummingbird
import JSONata
import Synchronization
import Testing
@testable import BatonEngine

/// Session connections (Bluesky's createSession / refreshSession shape): a login whose JWT
/// `exp` gives the lifetime, refreshed before it expires with the refresh JWT.
@Suite(.serialized) struct ConnectionsSessionTests {
    /// What the session server saw.
    final class SessionLog: Sendable {
        struct Counts { var logins = 0, refreshes = 0, unauthorized = 0, served = 0, refused = 0 }
        let counts = Mutex(Counts())
        let refreshToken = Mutex<String?>(nil)
        func read<T: Sendable>(_ body: (Counts) -> T) -> T { counts.withLock { body($0) } }
    }

    static let yaml = """
        name: skeet
        connections:
          bsky:
            base_url: ${{ env.PDS }}
            auth:
              session:
                login:
                  method: POST
                  url: /xrpc/com.atproto.server.createSession
                  json: {identifier: alice.test, password: "${{ secrets.BSKY_PASSWORD }}"}
                token: ${{ response.body.accessJwt }}
                refresh_token: ${{ response.body.refreshJwt }}
                refresh:
                  method: POST
                  url: /xrpc/com.atproto.server.refreshSession
                  headers: {Authorization: "Bearer ${{ session.refresh_token }}"}
        steps:
          - id: post
            http: {connection: bsky, url: /xrpc/app.bsky.feed.getTimeline}
        """

    /// A JWT (unsigned: the test server only reads it) of `kind` expiring `seconds` after `now`.
    static func jwt(_ kind: String, seconds: Int, now: Date) -> String {
        let header = PKCE.base64URL(Data(#"{"alg":"none","typ":"JWT"}"#.utf8))
        let exp = Int(now.timeIntervalSince1970) + seconds
        let claims = PKCE.base64URL(Data(#"{"sub":"did:plc:alice","scope":"\#(kind)","exp":\#(exp),"jti":"\#(UUID().uuidString)"}"#.utf8))
        return "\(header).\(claims).sig"
    }

    static func routes(_ log: SessionLog, accessSeconds: Int, clock: TestClock) -> (TestRouter, RequestLog) -> Void {
        { router, _ in
            router.post("/xrpc/com.atproto.server.createSession") { request, _ in
                let body = try await request.body.collect(upTo: 4096)
                guard String(buffer: body).contains(#""password":"app-password-1234""#) else {
                    log.counts.withLock { $0.refused += 1 }
                    return reply(.unauthorized, #"{"error":"AuthenticationRequired","message":"Invalid identifier or password"}"#)
                }
                log.counts.withLock { $0.logins += 1 }
                return pair(log, accessSeconds: accessSeconds, now: clock.now())
            }
            router.post("/xrpc/com.atproto.server.refreshSession") { request, _ in
                let presented = (request.headers[.authorization] ?? "").replacingOccurrences(of: "Bearer ", with: "")
                guard presented == log.refreshToken.withLock({ $0 }) else {
                    return reply(.badRequest, #"{"error":"ExpiredToken"}"#)
                }
                log.counts.withLock { $0.refreshes += 1 }
                return pair(log, accessSeconds: accessSeconds, now: clock.now())
            }
            router.get("/xrpc/app.bsky.feed.getTimeline") { request, _ in
                let token = (request.headers[.authorization] ?? "").replacingOccurrences(of: "Bearer ", with: "")
                guard let exp = JWTClaims.expiry(of: token), exp > clock.now() else {
                    log.counts.withLock { $0.unauthorized += 1 }
                    return reply(.unauthorized, #"{"error":"ExpiredToken"}"#)
                }
                log.counts.withLock { $0.served += 1 }
                return reply(.ok, #"{"feed":[]}"#)
            }
        }
    }

    static func pair(_ log: SessionLog, accessSeconds: Int, now: Date) -> Response {
        let refresh = jwt("com.atproto.refresh", seconds: 90 * 86400, now: now)
        log.refreshToken.withLock { $0 = refresh }
        return reply(.ok, #"{"accessJwt":"\#(jwt("com.atproto.access", seconds: accessSeconds, now: now))","refreshJwt":"\#(refresh)","did":"did:plc:alice"}"#)
    }

    static func setUp(_ base: String, password: String) throws -> (Workflow, JSONValue, SQLiteRunStore, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let context: JSONValue = ["env": ["PDS": .string(base)], "secrets": ["BSKY_PASSWORD": .string(password)]]
        return (try ExecutorHarness.workflow(yaml), context, try SQLiteRunStore(path: directory.appendingPathComponent("b.sqlite").path), directory)
    }

    static func tokens(_ store: SQLiteRunStore, clock: TestClock) -> ConnectionTokens {
        ConnectionTokens(store: store, vault: {
            try SecretVault.forDatabase(store.path, environment: ["BATON_SECRET_KEY": "session-key"], create: false)!
        }, clock: clock, owner: "p1")
    }

    @Test func jwtSessionIsRefreshedBeforeItExpires() async throws {
        let log = SessionLog()
        let clock = TestClock()
        // Two-hour access JWTs, as Bluesky hands out: refreshed 60 s before their `exp`.
        try await withTestServer(Self.routes(log, accessSeconds: 7200, clock: clock)) { base, _, client in
            let (workflow, context, store, directory) = try Self.setUp(base, password: "app-password-1234")
            defer { try? FileManager.default.removeItem(at: directory) }
            let calls = HTTPStepCalls(client: client, connections: Self.tokens(store, clock: clock))
            func step(_ count: Int = 1) async -> [String] {
                await withTaskGroup(of: String?.self) { group in
                    for _ in 0..<count {
                        group.addTask {
                            await calls.call(workflow.steps[0], context: context, idempotencyKey: "k", timeout: .seconds(10),
                                             workflow: workflow, secrets: ["app-password-1234"]).failure?.message
                        }
                    }
                    return await group.reduce(into: []) { if let failure = $1 { $0.append(failure) } }
                }
            }
            #expect(await step() == [])
            clock.advance(by: 7200 - 120)  // outside the margin: the token is used as it is
            #expect(await step() == [])
            #expect(log.read { $0.refreshes } == 0)
            clock.advance(by: 90)  // 30 s before `exp`: refreshed before use, once for all these steps
            #expect(await step(20) == [])
            #expect(log.read { $0.refreshes } == 1)
            clock.advance(by: 7200)  // past the new token's `exp` too
            #expect(await step(20) == [])
            #expect(log.read { $0.refreshes } == 2)
            #expect(log.read { $0.logins } == 1)
            // Refreshed before expiry: the API never saw an expired token.
            #expect(log.read { $0.unauthorized } == 0)
            #expect(log.read { $0.served } == 42)
            #expect(try await store.connectionState(name: "bsky")?.kind == "session")
        }
    }

    @Test func refusedLoginNamesTheConnectionAndWhatToDo() async throws {
        let log = SessionLog()
        let clock = TestClock()
        try await withTestServer(Self.routes(log, accessSeconds: 60, clock: clock)) { base, _, client in
            let (workflow, context, store, directory) = try Self.setUp(base, password: "wrong-password")
            defer { try? FileManager.default.removeItem(at: directory) }
            let calls = HTTPStepCalls(client: client, connections: Self.tokens(store, clock: clock))
            let result = await calls.call(workflow.steps[0], context: context, idempotencyKey: "k", timeout: .seconds(10),
                                          workflow: workflow, secrets: ["wrong-password"])
            let failure = try #require(result.failure)
            #expect(failure.code == "connection_needs_attention")
            #expect(failure.message == #"connection 'bsky' needs to be signed in again: the login request POST \#(base)/xrpc/com.atproto.server.createSession answered 401: {"error":"AuthenticationRequired","message":"Invalid identifier or password"}; run 'baton connect bsky'"#)
            #expect(log.read { $0.refused } == 1)
        }
    }
}

import AsyncHTTPClient
import Hummingbird
import JSONata
import Testing
@testable import BatonEngine

/// Client-credentials tokens: fetched once, shared, refreshed before expiry.
@Suite struct OAuth2Tests {
    static func routes(tokens: Counter, expiresIn: Int = 3600) -> (TestRouter, RequestLog) -> Void {
        { router, _ in
            router.post("/oauth/token") { _, _ in
                let n = tokens.increment()
                // Slow enough that concurrent callers overlap with the first fetch.
                try await Task.sleep(for: .milliseconds(100))
                return reply(.ok, #"{"access_token":"token-\#(n)","token_type":"Bearer","expires_in":\#(expiresIn)}"#)
            }
            router.get("/api") { request, _ in
                let auth = request.headers[.authorization] ?? ""
                let body: JSONValue = ["auth": .string(auth)]
                return reply(.ok, body.serialized())
            }
        }
    }

    @Test func fiftyConcurrentCallersShareOneTokenRequest() async throws {
        let tokens = Counter()
        try await withTestServer(Self.routes(tokens: tokens)) { base, log, _ in
            let cache = OAuth2TokenCache()
            let client = StepHTTPClient(client: .shared, tokens: cache)
            let credentials = OAuth2Credentials(tokenURL: base + "/oauth/token", clientID: "app", clientSecret: "s3cr3t/+",
                                                scopes: ["read", "write"])
            let auths = try await withThrowingTaskGroup(of: JSONValue?.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/api"), auth: .oauth2(credentials))).body?["auth"]
                    }
                }
                return try await group.reduce(into: [JSONValue?]()) { $0.append($1) }
            }
            #expect(tokens.current == 1)
            #expect(auths.count == 50)
            #expect(Set(auths) == [.string("Bearer token-1")])
            #expect(await cache.fetchCount == 1)
            let tokenRequest = try #require(log.last(path: "/oauth/token"))
            #expect(tokenRequest.body == "grant_type=client_credentials&scope=read%20write")
            #expect(tokenRequest.header("Content-Type") == "application/x-www-form-urlencoded")
            // RFC 6749 §2.3.1: id and secret form-encoded, then Basic.
            #expect(tokenRequest.header("Authorization") == "Basic " + RequestAuth.basicValue("app", "s3cr3t%2F%2B"))
        }
    }

    @Test func tokenIsRefreshedWithinTheMarginBeforeExpiry() async throws {
        let tokens = Counter()
        try await withTestServer(Self.routes(tokens: tokens, expiresIn: 600)) { base, _, _ in
            let clock = ManualClock()
            let cache = OAuth2TokenCache(clock: clock, refreshMargin: .seconds(60))
            let client = StepHTTPClient(client: .shared, tokens: cache)
            let credentials = OAuth2Credentials(tokenURL: base + "/oauth/token", clientID: "app", clientSecret: "secret",
                                                clientAuthentication: .body)
            let first = try await cache.token(for: credentials, using: client)
            clock.advance(by: .seconds(539))
            let cached = try await cache.token(for: credentials, using: client)
            clock.advance(by: .seconds(2))  // 541 s: within 60 s of the 600 s expiry.
            let refreshed = try await cache.token(for: credentials, using: client)
            #expect([first, cached, refreshed] == ["token-1", "token-1", "token-2"])
            #expect(tokens.current == 2)
        }
    }

    @Test func expiredTokenIsRefreshedByOneOfManyCallers() async throws {
        let tokens = Counter()
        try await withTestServer(Self.routes(tokens: tokens, expiresIn: 120)) { base, _, _ in
            let clock = ManualClock()
            let cache = OAuth2TokenCache(clock: clock, refreshMargin: .seconds(30))
            let client = StepHTTPClient(client: .shared, tokens: cache)
            let credentials = OAuth2Credentials(tokenURL: base + "/oauth/token", clientID: "app", clientSecret: "secret")
            _ = try await cache.token(for: credentials, using: client)
            clock.advance(by: .seconds(91))  // past 120 s − 30 s
            let seen = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<50 { group.addTask { try await cache.token(for: credentials, using: client) } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(seen == ["token-2"])
            #expect(tokens.current == 2)
        }
    }

    @Test func rejectedTokenIsReplacedOnce() async throws {
        let tokens = Counter()
        try await withTestServer({ router, _ in
            router.post("/oauth/token") { _, _ in
                let n = tokens.increment()
                return reply(.ok, #"{"access_token":"token-\#(n)","expires_in":3600}"#)
            }
            router.get("/api") { request, _ in
                request.headers[.authorization] == "Bearer token-2" ? reply(.ok, "{}") : reply(.unauthorized, #"{"error":"expired"}"#)
            }
        }) { base, _, client in
            let credentials = OAuth2Credentials(tokenURL: base + "/oauth/token", clientID: "app", clientSecret: "secret")
            let result = try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/api"), auth: .oauth2(credentials)))
            #expect(result.status == 200)
            #expect(tokens.current == 2)
        }
    }

    @Test func failedTokenRequestSaysWhatToCheck() async throws {
        try await withTestServer({ router, _ in
            router.post("/oauth/token") { _, _ in reply(.unauthorized, #"{"error":"invalid_client"}"#) }
        }) { base, _, client in
            let credentials = OAuth2Credentials(tokenURL: base + "/oauth/token", clientID: "app", clientSecret: "wrong-secret")
            let error = await #expect(throws: StepCallError.self) {
                try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/api"), auth: .oauth2(credentials)))
            }
            #expect(error?.message == #"the OAuth2 token endpoint POST \#(base)/oauth/token answered 401: {"error":"invalid_client"}; check the client id, client secret, scopes and token URL"#)
        }
    }
}

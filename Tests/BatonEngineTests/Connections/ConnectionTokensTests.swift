import BatonCore
import BatonStore
import BatonTestSupport
import Foundation
import JSONata
import Testing
@testable import BatonEngine

/// Signed-in OAuth2 connections against a local provider: one refresh per expiry however many
/// steps wait for it, in one process or several; rotated refresh tokens stored before use;
/// a refresh token the provider refuses gives a clear error and marks the connection.
@Suite(.serialized) struct ConnectionTokensTests {
    @Test func fiftyConcurrentStepsAcrossAnExpiryCauseOneRefresh() async throws {
        try await ConnectionsFixture.with { fixture in
            let tokens = fixture.tokens(owner: "p1")
            let calls = HTTPStepCalls(client: StepHTTPClient(client: .shared), connections: tokens)
            try await fixture.connect(tokens)

            let before = await fixture.callConcurrently(50, through: calls)
            #expect(before.allSucceeded)
            #expect(fixture.provider.read { $0.refreshCalls } == 0)

            // Within the margin (60 s before the hour-long token expires): refreshed before use.
            fixture.clock.advance(by: 3600 - 30)
            let across = await fixture.callConcurrently(50, through: calls)
            #expect(across.allSucceeded, "\(across.compactMap(\.failure).first?.message ?? "")")
            #expect(fixture.provider.read { $0.refreshCalls } == 1)
            #expect(fixture.provider.read { $0.unauthorized } == 0)

            // The provider revokes the token early: every step gets a 401, one refresh serves them all.
            fixture.provider.expireAccessTokens()
            let rejected = await fixture.callConcurrently(50, through: calls)
            #expect(rejected.allSucceeded, "\(rejected.compactMap(\.failure).first?.message ?? "")")
            #expect(fixture.provider.read { $0.refreshCalls } == 2)
            #expect(fixture.provider.read { $0.unauthorized } == 50)
            #expect(await tokens.signInRequests == 3)  // the code exchange and two refreshes
        }
    }

    @Test func processesSharingTheDatabaseRefreshOnce() async throws {
        try await ConnectionsFixture.with { fixture in
            try await fixture.connect(fixture.tokens(owner: "connect"))
            // Slow enough that the other process finds the lease taken and waits for the result.
            fixture.provider.change { $0.tokenDelay = .milliseconds(300) }
            fixture.clock.advance(by: 3600)
            let a = fixture.tokens(owner: "process-a")
            let b = fixture.tokens(owner: "process-b", store: try SQLiteRunStore(path: fixture.path))
            let callsA = HTTPStepCalls(client: StepHTTPClient(client: .shared), connections: a)
            let callsB = HTTPStepCalls(client: StepHTTPClient(client: .shared), connections: b)
            async let resultsA = fixture.callConcurrently(25, through: callsA)
            async let resultsB = fixture.callConcurrently(25, through: callsB)
            let all = await resultsA + resultsB
            #expect(all.allSucceeded, "\(all.compactMap(\.failure).first?.message ?? "")")
            #expect(fixture.provider.read { $0.refreshCalls } == 1)
            #expect(fixture.provider.read { $0.unauthorized } == 0)
        }
    }

    @Test func rotatedRefreshTokenIsStoredEncryptedBeforeUse() async throws {
        try await ConnectionsFixture.with { fixture in
            let tokens = fixture.tokens(owner: "p1")
            let calls = HTTPStepCalls(client: StepHTTPClient(client: .shared), connections: tokens)
            try await fixture.connect(tokens)
            fixture.provider.expireAccessTokens()
            #expect(await fixture.callConcurrently(1, through: calls).allSucceeded)
            let rotated = try #require(fixture.provider.currentRefreshToken)
            #expect(fixture.provider.read { $0.refreshCalls } == 1)

            // A new process finds the rotated token in the store: its refresh is accepted, and
            // the old refresh token, now refused by the provider, was never used again.
            fixture.provider.expireAccessTokens()
            let other = fixture.tokens(owner: "p2", store: try SQLiteRunStore(path: fixture.path))
            let otherCalls = HTTPStepCalls(client: StepHTTPClient(client: .shared), connections: other)
            let result = await fixture.callConcurrently(1, through: otherCalls)
            #expect(result.allSucceeded, "\(result.compactMap(\.failure).first?.message ?? "")")
            #expect(fixture.provider.read { $0.refreshCalls } == 2)
            #expect(fixture.provider.currentRefreshToken != rotated)

            let bytes = fixture.databaseBytes
            for secret in [rotated, try #require(fixture.provider.currentRefreshToken)] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "a refresh token is in the database in clear")
            }
            let record = try #require(try await fixture.store.connectionState(name: "social"))
            #expect(record.kind == "oauth2 authorization_code")
            #expect(record.generation == 3)
        }
    }

    @Test func refusedRefreshTokenFailsTheStepAndMarksTheConnection() async throws {
        try await ConnectionsFixture.with { fixture in
            let tokens = fixture.tokens(owner: "p1")
            let events = EventLog()
            await tokens.observe { events.append($0) }
            let calls = HTTPStepCalls(client: StepHTTPClient(client: .shared), connections: tokens)
            try await fixture.connect(tokens)
            fixture.provider.change { $0.refreshTokenExpired = true }
            fixture.provider.expireAccessTokens()

            let failure = try #require(await fixture.callConcurrently(1, through: calls).first?.failure)
            #expect(failure.code == "connection_needs_attention")
            #expect(failure.message == "connection 'social' needs to be signed in again: the token endpoint POST \(fixture.provider.baseURL)/token rejected the refresh token of connection 'social' (invalid_grant: refresh token expired or revoked); run 'baton connect social'")
            #expect(!failure.retryable)

            // Later steps fail at once, without asking the provider again.
            let again = try #require(await fixture.callConcurrently(3, through: calls).first?.failure)
            #expect(again.message == failure.message)
            #expect(fixture.provider.read { $0.refreshCalls } == 1)
            #expect(events.attentionCount == 1)
            let status = ConnectionStatus.list(workflows: [fixture.workflow], records: try await fixture.store.connectionStates(), now: Date())
            #expect(status.map(\.state) == [.needsAttention])
            #expect(status.first?.jsonValue["valid"] == false)

            // Signing in again clears it.
            fixture.provider.change { $0.refreshTokenExpired = false }
            try await fixture.connect(tokens)
            #expect(await fixture.callConcurrently(1, through: calls).allSucceeded)
            #expect(try await fixture.store.connectionState(name: "social")?.attention == nil)
        }
    }

    @Test func codeExchangeNeedsTheVerifierOfItsChallenge() async throws {
        // RFC 7636 appendix B, computed by the test's own SHA-256 and by the code under test.
        #expect(ConnectTestProvider.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        try await ConnectionsFixture.with { fixture in
            let tokens = fixture.tokens(owner: "p1")
            let signIn = try fixture.signIn
            let redirectURI = "http://127.0.0.1:9/callback"
            let asked = PKCE(), other = PKCE()
            let url = try #require(signIn.oauth2?.authorizationURL(redirectURI: redirectURI, state: "s", pkce: asked))
            #expect(url.contains("code_challenge=\(asked.challenge)&code_challenge_method=S256"))
            #expect(url.contains("scope=post.write%20offline.access"))
            let code = try await ConnectionsFixture.authorizationCode(url)
            await #expect(throws: ConnectionError.self) {
                try await tokens.exchange(code: code, verifier: other.verifier, redirectURI: redirectURI, for: signIn,
                                          using: StepHTTPClient(client: .shared))
            }
            #expect(fixture.provider.read { $0.rejectedVerifiers } == 1)
            #expect(try await fixture.store.connectionState(name: "social")?.sealedTokens == nil)
            let set = try await fixture.connect(tokens)
            #expect(set.refreshToken == fixture.provider.currentRefreshToken)
        }
    }

    @Test func fiftyItemsOfOneRunAcrossAnExpiryCauseOneRefresh() async throws {
        try await ConnectionsFixture.with { fixture in
            let (harness, tokens) = try fixture.harness()
            defer { harness.remove() }
            try await fixture.connect(tokens)
            fixture.clock.advance(by: 3601)
            let fanOut = try ExecutorHarness.workflow(ConnectionsFixture.yaml.replacingOccurrences(
                of: "    http: {connection: social, url: /api}",
                with: "    for_each: ${{ [1..50] }}\n    concurrency: 50\n    http: {connection: social, url: /api}"))
            let run = try await fixture.execute(fanOut, harness: harness, tokens: tokens)
            #expect(run.status == .succeeded, "\(run.error ?? "")")
            #expect(fixture.provider.read { $0.refreshCalls } == 1)
            #expect(fixture.provider.read { $0.unauthorized } == 0)
            #expect(fixture.provider.read { $0.apiCalls } == 50)
        }
    }

    @Test func tokensAreMaskedInEverythingARunRecords() async throws {
        try await ConnectionsFixture.with { fixture in
            let (harness, tokens) = try fixture.harness()
            defer { harness.remove() }
            let set = try await fixture.connect(tokens)
            let run = try await fixture.execute(fixture.workflow, harness: harness, tokens: tokens)
            #expect(run.status == .succeeded)
            // The API echoed the token into the step's output: stored, it is masked.
            let output = try #require(try await harness.steps(run)["post"]?.output)
            #expect(output.contains(#""token":"***""#))
            let files = [harness.store.path, harness.store.path + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
            for file in files {
                #expect(file.range(of: Data(set.accessToken.utf8)) == nil, "the access token is in the database in clear")
            }
        }
    }
}

/// Collects a provider's events.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [ConnectionTokens.Event] = []
    func append(_ event: ConnectionTokens.Event) { lock.withLock { events.append(event) } }
    var attentionCount: Int {
        lock.withLock { events.filter { if case .needsAttention = $0 { return true } else { return false } }.count }
    }
}

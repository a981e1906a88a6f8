import AsyncHTTPClient
import BatonCore
import BatonStore
import BatonTestSupport
import Foundation
import JSONata
import NIOCore
import Testing
@testable import BatonEngine

/// A real SQLite file in a temporary folder, the local OAuth2 provider, and a workflow whose
/// `social` connection signs in to it with the authorization-code grant.
struct ConnectionsFixture {
    let directory: URL
    let path: String
    let store: SQLiteRunStore
    let provider: ConnectTestProvider
    let workflow: Workflow
    let context: JSONValue
    /// The time of the token keepers and of the provider: tests move it past expiries.
    let clock = TestClock()

    static let yaml = """
        name: post
        connections:
          social:
            base_url: ${{ env.PROVIDER }}
            auth:
              oauth2:
                grant: authorization_code
                authorize_url: ${{ env.PROVIDER }}/authorize
                token_url: ${{ env.PROVIDER }}/token
                client_id: baton-app
                client_secret: ${{ secrets.SOCIAL_SECRET }}
                scopes: [post.write, offline.access]
        steps:
          - id: post
            http: {connection: social, url: /api}
        """

    /// Runs `body` with a fresh fixture, then stops the provider and removes the folder.
    static func with(_ body: (ConnectionsFixture) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-connections-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let provider = ConnectTestProvider()
        try await provider.start()
        defer { provider.stop() }
        let path = directory.appendingPathComponent("baton.sqlite").path
        let workflow = try ExecutorHarness.workflow(yaml)
        let context: JSONValue = ["env": ["PROVIDER": .string(provider.baseURL)],
                                  "secrets": ["SOCIAL_SECRET": .string(ConnectTestProvider.clientSecret)]]
        let fixture = ConnectionsFixture(directory: directory, path: path, store: try SQLiteRunStore(path: path),
                                         provider: provider, workflow: workflow, context: context)
        let clock = fixture.clock
        provider.change { $0.now = { clock.now() } }
        try await body(fixture)
    }

    /// A provider of tokens over `store` (another process's store when given).
    func tokens(owner: String, store: SQLiteRunStore? = nil, leaseDuration: Duration = .seconds(10)) -> ConnectionTokens {
        let path = self.path
        return ConnectionTokens(store: store ?? self.store, vault: {
            try SecretVault.forDatabase(path, environment: ["BATON_SECRET_KEY": "connections-test-key"], create: false)!
        }, clock: clock, owner: owner, configuration: .init(leaseDuration: leaseDuration, pollInterval: .milliseconds(20)))
    }

    /// The `social` connection's evaluated sign-in.
    var signIn: ConnectionSignIn {
        get throws { try #require(try ConnectionSignIn(connection: workflow.connection("social")!, context: context)) }
    }

    /// Signs in as `baton connect` does: authorization URL, redirect, code exchange with PKCE.
    @discardableResult
    func connect(_ tokens: ConnectionTokens) async throws -> TokenSet {
        let signIn = try self.signIn
        let pkce = PKCE()
        let redirectURI = "http://127.0.0.1:9/callback"
        let url = try #require(signIn.oauth2?.authorizationURL(redirectURI: redirectURI, state: "st-1", pkce: pkce))
        let code = try await Self.authorizationCode(url)
        return try await tokens.exchange(code: code, verifier: pkce.verifier, redirectURI: redirectURI, for: signIn,
                                         using: StepHTTPClient(client: .shared))
    }

    /// The code in the redirect the authorization endpoint answers `url` with.
    static func authorizationCode(_ url: String) async throws -> String {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
        let location = try #require(response.headers.first(name: "location"), "status \(response.status)")
        let items = URLComponents(string: location)?.queryItems ?? []
        return try #require(items.first { $0.name == "code" }?.value)
    }

    /// `count` calls of the workflow's step at once through `calls`.
    func callConcurrently(_ count: Int, through calls: HTTPStepCalls) async -> [RemoteCallResult] {
        let workflow = self.workflow, context = self.context
        return await withTaskGroup(of: RemoteCallResult.self) { group in
            for index in 0..<count {
                group.addTask {
                    await calls.call(workflow.steps[0], context: context, idempotencyKey: "run-\(index)", timeout: .seconds(20),
                                     workflow: workflow, secrets: [ConnectTestProvider.clientSecret])
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// An executor harness whose environment reaches the provider, and a token keeper on its store.
    func harness() throws -> (ExecutorHarness, ConnectionTokens) {
        var harness = try ExecutorHarness(environment: RunEnvironment(env: ["PROVIDER": .string(provider.baseURL)],
                                                                      secrets: ["SOCIAL_SECRET": .string(ConnectTestProvider.clientSecret)]))
        let path = harness.store.path
        let tokens = ConnectionTokens(store: harness.store, vault: {
            try SecretVault.forDatabase(path, environment: ["BATON_SECRET_KEY": "k"], create: false)!
        }, clock: clock, owner: "worker")
        harness.remote = HTTPStepCalls(client: StepHTTPClient(client: .shared), connections: tokens)
        return (harness, tokens)
    }

    /// Runs `workflow` to its end (at most 30 s) on a worker whose dependencies keep `tokens`.
    func execute(_ workflow: Workflow, harness: ExecutorHarness, tokens: ConnectionTokens) async throws -> Run {
        let run = try await harness.start(workflow)
        var dependencies = harness.dependencies()
        dependencies.connections = tokens
        let worker = Worker(dependencies: dependencies, configuration: .init(pollInterval: .milliseconds(20)))
        let store = harness.store
        let deadline = ContinuousClock.now + .seconds(30)
        try await worker.run {
            guard ContinuousClock.now < deadline else { return true }
            return try await store.run(id: run.id)?.status.isTerminal ?? true
        }
        return try #require(try await store.run(id: run.id))
    }

    /// The database file and its WAL, as bytes.
    var databaseBytes: Data {
        var bytes = FileManager.default.contents(atPath: path) ?? Data()
        bytes.append(FileManager.default.contents(atPath: path + "-wal") ?? Data())
        return bytes
    }
}

extension [RemoteCallResult] {
    /// Whether every call succeeded.
    var allSucceeded: Bool { allSatisfy { $0.succeeded } }
}

extension RemoteCallResult {
    /// Whether it succeeded.
    var succeeded: Bool {
        if case .success = result { return true }
        return false
    }

    /// The failure, if it failed.
    var failure: StepFailure? {
        if case .failure(let failure) = result { return failure }
        return nil
    }
}

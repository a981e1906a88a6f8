import BatonStore
import Foundation

/// Keeps signed-in connections' tokens fresh for every step of the process, and in step with
/// the other processes that share the database.
///
/// A token is refreshed before it expires: 60 s before, or 10% of its lifetime before when
/// that is shorter. Concurrent callers in the process share one refresh in flight per
/// connection; across processes the refresher holds the connection's lease row and the others
/// poll the row until the new token set is stored. A new token set (with a rotated refresh
/// token) is committed before anyone uses it, so a crash right after a refresh cannot lose
/// it. A refresh that the provider refuses for good marks the connection as needing
/// attention, and steps fail at once with a message naming `baton connect NAME`.
public actor ConnectionTokens: ConnectionTokenProviding {
    /// Timing settings.
    public struct Configuration: Sendable {
        /// How long a refresher holds the lease; covers the refresh request and its commit.
        public var leaseDuration: Duration
        /// How often a process waiting for another's refresh reads the row again.
        public var pollInterval: Duration
        /// The most a token is refreshed before it expires.
        public var maximumMargin: Duration
        /// The share of a token's lifetime it is refreshed early, when that is less than ``maximumMargin``.
        public var marginFraction: Double

        /// Creates settings.
        public init(leaseDuration: Duration = .seconds(30), pollInterval: Duration = .milliseconds(50),
                    maximumMargin: Duration = .seconds(60), marginFraction: Double = 0.1) {
            self.leaseDuration = leaseDuration
            self.pollInterval = pollInterval
            self.maximumMargin = maximumMargin
            self.marginFraction = marginFraction
        }
    }

    /// What happened to a connection, for logs and metrics.
    public enum Event: Sendable {
        /// A new token set was stored.
        case refreshed(connection: String, expiresAt: Date?)
        /// A refresh failed for good; the connection needs `baton connect`.
        case needsAttention(connection: String, reason: String)
    }

    struct Cached {
        var tokens: TokenSet
        var generation: Int64
    }

    let store: any ConnectionStore
    private let makeVault: @Sendable () throws -> SecretVault
    private var vault: SecretVault?
    let clock: any WallClock
    /// This process's name on leases.
    public nonisolated let owner: String
    /// Timing settings.
    public nonisolated let configuration: Configuration
    /// Every token value seen, for redactors.
    public nonisolated let liveSecrets: LiveSecrets
    var cached: [String: Cached] = [:]
    private var inFlight: [String: Task<TokenSet, any Error>] = [:]
    private var observer: (@Sendable (Event) -> Void)?
    /// How many requests this instance sent to token, login and refresh endpoints.
    public internal(set) var signInRequests = 0

    /// Creates the provider over `store`; `vault` gives the key that seals token sets (called
    /// once, when first needed, so that a process without connections never creates a key).
    public init(store: any ConnectionStore, vault: @escaping @Sendable () throws -> SecretVault, clock: any WallClock = SystemWallClock(),
                owner: String = "baton-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))",
                configuration: Configuration = Configuration(), liveSecrets: LiveSecrets = LiveSecrets()) {
        self.store = store
        self.makeVault = vault
        self.clock = clock
        self.owner = owner
        self.configuration = configuration
        self.liveSecrets = liveSecrets
    }

    /// Calls `handler` for each refresh and each connection that comes to need attention.
    public func observe(_ handler: @escaping @Sendable (Event) -> Void) {
        observer = handler
    }

    // MARK: ConnectionTokenProviding

    /// A token that is not about to expire: the cached one, or one from a shared refresh.
    public func accessToken(for signIn: ConnectionSignIn, using client: StepHTTPClient) async throws -> String {
        if let entry = cached[signIn.name], !needsRefresh(entry.tokens, at: clock.now()) {
            return entry.tokens.accessToken
        }
        return try await shared(signIn, client: client, rejected: nil).accessToken
    }

    /// A token other than the rejected `token`: one already refreshed, or a fresh one.
    public func tokenRejected(_ token: String, for signIn: ConnectionSignIn, using client: StepHTTPClient) async throws -> String {
        if let entry = cached[signIn.name], entry.tokens.accessToken != token, !needsRefresh(entry.tokens, at: clock.now()) {
            return entry.tokens.accessToken
        }
        return try await shared(signIn, client: client, rejected: token).accessToken
    }

    /// Runs at most one ``obtain(_:client:rejected:)`` per connection at a time; callers that
    /// arrive meanwhile wait for its result.
    private func shared(_ signIn: ConnectionSignIn, client: StepHTTPClient, rejected: String?) async throws -> TokenSet {
        let name = signIn.name
        if let running = inFlight[name] {
            let result = try await running.value
            // A refresh that began before our 401 may hand back the very token the API refused.
            if rejected == nil || result.accessToken != rejected { return result }
            if let newer = inFlight[name], newer != running { return try await newer.value }
            if let entry = cached[name], entry.tokens.accessToken != rejected { return entry.tokens }
        }
        let task = Task { try await self.obtain(signIn, client: client, rejected: rejected) }
        inFlight[name] = task
        defer { if inFlight[name] == task { inFlight[name] = nil } }
        return try await task.value
    }

    // MARK: State

    /// Whether `tokens` are within their refresh margin at `now`.
    func needsRefresh(_ tokens: TokenSet, at now: Date) -> Bool {
        guard let refreshAt = tokens.refreshAt(maximumMargin: configuration.maximumMargin, fraction: configuration.marginFraction) else {
            return false
        }
        return now >= refreshAt
    }

    /// Keeps `tokens` as the connection's current set and teaches the redactors its values.
    func remember(_ name: String, _ tokens: TokenSet, generation: Int64) {
        liveSecrets.add(tokens.secretValues)
        if let current = cached[name], current.generation > generation { return }
        cached[name] = Cached(tokens: tokens, generation: generation)
    }

    func notify(_ event: Event) {
        observer?(event)
    }

    /// The vault, made on first use.
    func sealingVault(for connection: String) throws -> SecretVault {
        if let vault { return vault }
        do {
            let made = try makeVault()
            vault = made
            return made
        } catch {
            throw ConnectionError(.unavailable, connection: connection,
                                  message: "connection '\(connection)' cannot keep its tokens: \(error)")
        }
    }

    /// The token set sealed in `record`, or nil when none is stored.
    func open(_ record: ConnectionRecord) throws -> TokenSet? {
        guard let sealed = record.sealedTokens else { return nil }
        let vault = try sealingVault(for: record.name)
        let tokens: TokenSet
        do {
            tokens = try TokenSet.decoded(try vault.open(sealed, name: TokenSet.sealName(record.name)))
        } catch {
            throw ConnectionError(.notConnected, connection: record.name,
                                  message: "connection '\(record.name)': its stored token set cannot be decrypted with the key from \(vault.keySource) (it was stored with another key); run 'baton connect \(record.name)' to sign in again, or use the key it was stored with")
        }
        remember(record.name, tokens, generation: record.generation)
        return tokens
    }

    /// Seals and stores `tokens`, releasing this process's lease in the same transaction.
    func save(_ tokens: TokenSet, for signIn: ConnectionSignIn) async throws -> ConnectionRecord {
        let sealed = try sealingVault(for: signIn.name).seal(try tokens.encoded(), name: TokenSet.sealName(signIn.name))
        liveSecrets.add(tokens.secretValues)
        var attempt = 0
        while true {
            do {
                let record = try await store.saveConnectionTokens(name: signIn.name, kind: signIn.kind, sealed: sealed,
                                                                  expiresAt: tokens.expiresAt, releasing: owner, now: clock.now())
                remember(signIn.name, tokens, generation: record.generation)
                notify(.refreshed(connection: signIn.name, expiresAt: tokens.expiresAt))
                return record
            } catch {
                // The old refresh token is spent: this set is the only one that works, so a
                // busy database is waited out rather than the set dropped.
                attempt += 1
                if attempt >= 5 { throw error }
                try await clock.sleep(for: .milliseconds(100 * attempt))
            }
        }
    }
}

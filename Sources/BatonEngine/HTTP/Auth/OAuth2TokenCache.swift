import Foundation
import JSONata

/// Caches client-credentials tokens until shortly before they expire.
///
/// Concurrent callers that need the same token share one request to the token endpoint: the
/// first starts it and the others await its result. A token is refreshed `refreshMargin` before
/// `expires_in` runs out (so it does not expire in flight); a token without `expires_in` is
/// reused for `defaultLifetime`. A failed fetch is not cached: the next caller tries again.
public actor OAuth2TokenCache<C: Clock>: OAuth2TokenProviding where C.Duration == Duration {
    private struct Entry {
        var token: String
        var refreshAt: C.Instant
    }

    private let clock: C
    /// How long before expiry a token is replaced.
    public nonisolated let refreshMargin: Duration
    /// How long a token without `expires_in` is used.
    public nonisolated let defaultLifetime: Duration
    /// The timeout of a token request.
    public nonisolated let requestTimeout: Duration
    private var entries: [OAuth2Credentials: Entry] = [:]
    private var inFlight: [OAuth2Credentials: Task<Entry, any Error>] = [:]
    /// How many token requests were sent (for logs and tests).
    public private(set) var fetchCount = 0

    /// Creates an empty cache on `clock`.
    public init(clock: C, refreshMargin: Duration = .seconds(60), defaultLifetime: Duration = .seconds(300),
                requestTimeout: Duration = .seconds(30)) {
        self.clock = clock
        self.refreshMargin = refreshMargin
        self.defaultLifetime = defaultLifetime
        self.requestTimeout = requestTimeout
    }

    /// A valid token, from the cache or from one shared request to the token endpoint.
    public func token(for credentials: OAuth2Credentials, using client: StepHTTPClient) async throws -> String {
        if let entry = entries[credentials], clock.now < entry.refreshAt {
            return entry.token
        }
        let task: Task<Entry, any Error>
        if let running = inFlight[credentials] {
            task = running
        } else {
            fetchCount += 1
            let clock = self.clock, margin = refreshMargin, lifetime = defaultLifetime, timeout = requestTimeout
            task = Task {
                try await Self.fetch(credentials, client: client, clock: clock, margin: margin, defaultLifetime: lifetime,
                                     timeout: timeout)
            }
            inFlight[credentials] = task
        }
        do {
            let entry = try await task.value
            if inFlight[credentials] == task {
                inFlight[credentials] = nil
                entries[credentials] = entry
            }
            return entry.token
        } catch {
            if inFlight[credentials] == task { inFlight[credentials] = nil }
            throw error
        }
    }

    /// Forgets the cached token for `credentials`.
    public func invalidate(_ credentials: OAuth2Credentials) {
        entries[credentials] = nil
    }

    private static func fetch(_ credentials: OAuth2Credentials, client: StepHTTPClient, clock: C, margin: Duration,
                              defaultLifetime: Duration, timeout: Duration) async throws -> Entry {
        let request = credentials.tokenRequest(timeout: timeout)
        let started = clock.now
        let result: HTTPResult
        do {
            result = try await client.send(request)
        } catch var error as StepCallError {
            error.message = "the OAuth2 token request failed: \(error.message)"
            throw error
        }
        func fail(_ kind: StepCallError.Kind, _ why: String) -> StepCallError {
            StepCallError(kind, message: "the OAuth2 token endpoint POST \(credentials.tokenURL) \(why)",
                          method: "POST", url: credentials.tokenURL, responseHeaders: result.headers)
        }
        guard (200...299).contains(result.status) else {
            let detail = StepCallError.excerpt(result.body, raw: result.rawBody)
            throw fail(.unexpectedStatus(status: result.status, body: result.body),
                       "answered \(result.status): \(detail); check the client id, client secret, scopes and token URL")
        }
        guard let token = result.body?["access_token"]?.stringValue, !token.isEmpty else {
            throw fail(.invalidResponse, "answered \(result.status) without an access_token in a JSON body; check that the token URL is the provider's token endpoint")
        }
        var lifetime = defaultLifetime
        if let expiresIn = result.body?["expires_in"]?.numberValue ?? result.body?["expires_in"]?.stringValue.flatMap(Double.init) {
            // Refresh `margin` early, but never later than halfway for very short-lived tokens.
            let expires = Duration.seconds(expiresIn)
            lifetime = max(.zero, expires - min(margin, expires / 2))
        }
        return Entry(token: token, refreshAt: started.advanced(by: lifetime))
    }
}

extension OAuth2TokenCache where C == ContinuousClock {
    /// A cache on the continuous clock.
    public init(refreshMargin: Duration = .seconds(60), defaultLifetime: Duration = .seconds(300)) {
        self.init(clock: ContinuousClock(), refreshMargin: refreshMargin, defaultLifetime: defaultLifetime)
    }
}

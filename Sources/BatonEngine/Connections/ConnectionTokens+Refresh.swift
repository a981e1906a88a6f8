import BatonCore
import BatonStore
import Foundation

extension ConnectionTokens {
    /// A token set that is neither about to expire nor `rejected`: the stored one, one another
    /// process just stored, or a fresh one from a refresh made under the connection's lease.
    func obtain(_ signIn: ConnectionSignIn, client: StepHTTPClient, rejected: String?) async throws -> TokenSet {
        let name = signIn.name
        // Bounded: a lease outlives its holder by at most its duration, then anyone may take it.
        let deadline = clock.now().addingTimeInterval((configuration.leaseDuration + signIn.requestTimeout).timeInterval + 5)
        func usable(_ tokens: TokenSet?, at now: Date) -> TokenSet? {
            guard let tokens, tokens.accessToken != rejected, !needsRefresh(tokens, at: now) else { return nil }
            return tokens
        }
        while true {
            try Task.checkCancellation()
            let now = clock.now()
            let record = try await store.connectionState(name: name)
            if let attention = record?.attention { throw ConnectionError.needsAttention(name, reason: attention) }
            let stored = try record.flatMap { try open($0) }
            if let tokens = usable(stored, at: now) { return tokens }
            if let record, record.isLeased(byOtherThan: owner, at: now) {
                // Another process is refreshing: wait for its result rather than spend the refresh token twice.
                guard now < deadline else {
                    throw ConnectionError(.refreshStuck, connection: name,
                                          message: "connection '\(name)': another process (\(record.leaseOwner ?? "?")) has been refreshing its token for too long; try again")
                }
                try await clock.sleep(for: configuration.pollInterval)
                continue
            }
            let until = now.addingTimeInterval(configuration.leaseDuration.timeInterval)
            let lease = try await store.acquireConnectionLease(name: name, kind: signIn.kind, owner: owner, until: until, now: now)
            guard lease.acquired else { continue }
            // Read in the lease's transaction: another process may have stored a set just before.
            if let attention = lease.record.attention {
                try? await store.releaseConnectionLease(name: name, owner: owner)
                throw ConnectionError.needsAttention(name, reason: attention)
            }
            let current = try lease.record.sealedTokens == nil ? nil : open(lease.record)
            if let tokens = usable(current, at: now) {
                try? await store.releaseConnectionLease(name: name, owner: owner)
                return tokens
            }
            return try await refreshHoldingLease(signIn, client: client, current: current, rejected: rejected)
        }
    }

    /// Refreshes (or logs in) while this process holds the lease, and stores the result.
    private func refreshHoldingLease(_ signIn: ConnectionSignIn, client: StepHTTPClient, current: TokenSet?,
                                     rejected: String?) async throws -> TokenSet {
        let name = signIn.name
        do {
            // The key first: a refresh spends the old refresh token, so its result must be storable.
            _ = try sealingVault(for: name)
            let fresh = try await fetch(signIn, client: client, current: current)
            _ = try await save(fresh, for: signIn)
            return fresh
        } catch let failure as SignInFailure {
            let reason = Redactor(secrets: signIn.secretValues + (current?.secretValues ?? []), live: liveSecrets).redact(failure.message)
            try? await store.markConnectionNeedsAttention(name: name, kind: signIn.kind, reason: reason, releasing: owner, now: clock.now())
            cached[name] = nil
            notify(.needsAttention(connection: name, reason: reason))
            throw ConnectionError.needsAttention(name, reason: reason)
        } catch {
            try? await store.releaseConnectionLease(name: name, owner: owner)
            // A refresh that failed for now leaves a token that has not expired yet usable.
            if let current, current.accessToken != rejected, !current.isExpired(at: clock.now()) { return current }
            throw error
        }
    }

    /// Sends the refresh or login request of `signIn` and reads its answer; a failure worth
    /// trying again names the connection.
    func fetch(_ signIn: ConnectionSignIn, client: StepHTTPClient, current: TokenSet?) async throws -> TokenSet {
        do {
            return try await fetchUnnamed(signIn, client: client, current: current)
        } catch var error as StepCallError {
            error.message = "connection '\(signIn.name)' could not get a token: \(error.message)"
            throw error
        }
    }

    private func fetchUnnamed(_ signIn: ConnectionSignIn, client: StepHTTPClient, current: TokenSet?) async throws -> TokenSet {
        let timeout = signIn.requestTimeout
        switch signIn.method {
        case .oauth2(let oauth):
            guard let refreshToken = current?.refreshToken ?? oauth.seedRefreshToken else {
                let why = current == nil ? "no token set is stored for it"
                    : "its token expired and the provider gave no refresh token (ask for a scope such as offline_access)"
                throw ConnectionError.notConnected(signIn.name, why: why)
            }
            let request = oauth.refreshRequest(refreshToken: refreshToken, timeout: timeout)
            let sentAt = clock.now()
            signInRequests += 1
            let result = try await client.send(request)
            return try OAuth2TokenResponse.tokenSet(result, of: request, what: "the refresh token of connection '\(signIn.name)'",
                                                    previousRefreshToken: refreshToken, now: sentAt)
        case .session(let session):
            if let current, let refreshToken = current.refreshToken, session.canRefresh,
               !(JWTClaims.expiry(of: refreshToken).map { $0 <= clock.now() } ?? false) {
                do {
                    if let request = try evaluating(signIn.name, { try session.refreshRequest(current, timeout: timeout) }) {
                        let sentAt = clock.now()
                        signInRequests += 1
                        let result = try await client.send(request)
                        return try session.tokenSet(from: result, of: request, what: "refresh", previous: current, now: sentAt)
                    }
                } catch is SignInFailure {
                    // The session's refresh token is spent or revoked: a new login replaces it.
                }
            }
            let request = try evaluating(signIn.name) { try session.loginRequest(timeout: timeout) }
            let sentAt = clock.now()
            signInRequests += 1
            let result = try await client.send(request)
            return try session.tokenSet(from: result, of: request, what: "login", previous: nil, now: sentAt)
        }
    }

    /// Runs `body`, turning expression failures into ``ConnectionError/Code/invalidSettings``.
    func evaluating<T>(_ name: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let problem as EvaluationProblem {
            throw ConnectionError(.invalidSettings, connection: name, message: "connection '\(name)': \(problem.message)")
        } catch let error as TemplateEvaluationError {
            throw ConnectionError(.invalidSettings, connection: name, message: "connection '\(name)': \(error)")
        }
    }
}

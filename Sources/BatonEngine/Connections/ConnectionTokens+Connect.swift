import BatonStore
import Foundation

/// What `baton connect` does with a connection: start and finish an authorization-code
/// sign-in, or sign in at once when no person is needed.
extension ConnectionTokens {
    /// Keeps `pending` (sealed) until `baton connect NAME --code CODE` finishes it.
    public func savePending(_ pending: PendingAuthorization, for signIn: ConnectionSignIn) async throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        let text = String(decoding: try encoder.encode(pending), as: UTF8.self)
        let sealed = try sealingVault(for: signIn.name).seal(text, name: PendingAuthorization.sealName(signIn.name))
        try await store.savePendingAuthorization(name: signIn.name, kind: signIn.kind, sealed: sealed, now: clock.now())
    }

    /// The authorization in progress for connection `name`, if any.
    public func pendingAuthorization(for name: String) async throws -> PendingAuthorization? {
        guard let sealed = try await store.connectionState(name: name)?.pendingAuthorization else { return nil }
        let text = try sealingVault(for: name).open(sealed, name: PendingAuthorization.sealName(name))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(PendingAuthorization.self, from: Data(text.utf8))
    }

    /// Exchanges an authorization `code` (with the PKCE `verifier` of the authorization that
    /// gave it) and stores the token set, clearing any need for attention.
    ///
    /// - Throws: ``ConnectionError`` when the provider refuses the code, ``StepCallError`` when
    ///   the token endpoint cannot be reached.
    public func exchange(code: String, verifier: String?, redirectURI: String?, for signIn: ConnectionSignIn,
                         using client: StepHTTPClient) async throws -> TokenSet {
        guard let oauth = signIn.oauth2 else {
            throw ConnectionError(.invalidSettings, connection: signIn.name,
                                  message: "connection '\(signIn.name)' uses \(signIn.kind), which takes no authorization code")
        }
        let request = oauth.codeRequest(code: code, verifier: verifier, redirectURI: redirectURI, timeout: signIn.requestTimeout)
        let sentAt = clock.now()
        signInRequests += 1
        let result = try await client.send(request)
        do {
            let tokens = try OAuth2TokenResponse.tokenSet(result, of: request, what: "the authorization code",
                                                          previousRefreshToken: nil, now: sentAt)
            _ = try await save(tokens, for: signIn)
            return tokens
        } catch let failure as SignInFailure {
            throw ConnectionError(.notConnected, connection: signIn.name,
                                  message: "connection '\(signIn.name)' was not signed in: \(Redactor(secrets: [code] + signIn.secretValues).redact(failure.message)); codes work once and expire within minutes, so run 'baton connect \(signIn.name)' again")
        }
    }

    /// Signs in without a person and stores the token set: a session's login, or grant
    /// `refresh_token`'s refresh. Clears any need for attention.
    public func signInNow(_ signIn: ConnectionSignIn, using client: StepHTTPClient) async throws -> TokenSet {
        let stored = try await store.connectionState(name: signIn.name)
        let current: TokenSet? = (try? stored.flatMap { try open($0) }) ?? nil
        do {
            // A session logs in afresh: that is what a person running `baton connect` asks for.
            let fresh: TokenSet
            if case .session = signIn.method {
                fresh = try await fetch(signIn, client: client, current: nil)
            } else {
                fresh = try await fetch(signIn, client: client, current: current)
            }
            _ = try await save(fresh, for: signIn)
            return fresh
        } catch let failure as SignInFailure {
            let reason = Redactor(secrets: signIn.secretValues + (current?.secretValues ?? []), live: liveSecrets).redact(failure.message)
            throw ConnectionError(.notConnected, connection: signIn.name,
                                  message: "connection '\(signIn.name)' was not signed in: \(reason); check the credentials it sends")
        }
    }
}

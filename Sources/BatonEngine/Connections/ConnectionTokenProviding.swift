import Foundation

/// Hands out the access tokens of signed-in connections, refreshing them when needed.
public protocol ConnectionTokenProviding: Sendable {
    /// A token of `signIn`'s connection that is not about to expire, obtained with `client` if needed.
    func accessToken(for signIn: ConnectionSignIn, using client: StepHTTPClient) async throws -> String
    /// A token other than `token`, which the API just rejected with 401: the one another
    /// caller already obtained, or a fresh one. Callers retry their request once with it.
    func tokenRejected(_ token: String, for signIn: ConnectionSignIn, using client: StepHTTPClient) async throws -> String
    /// Every token value handed out, for redactors.
    var liveSecrets: LiveSecrets { get }
}

import Foundation
import JSONata

/// Hands out OAuth2 access tokens, fetching them when needed.
public protocol OAuth2TokenProviding: Sendable {
    /// A valid access token for `credentials`, fetched with `client` if none is cached.
    func token(for credentials: OAuth2Credentials, using client: StepHTTPClient) async throws -> String
    /// Forgets the cached token (after the API rejected it with 401).
    func invalidate(_ credentials: OAuth2Credentials) async
}

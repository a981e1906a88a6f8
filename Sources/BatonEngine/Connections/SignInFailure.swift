import Foundation

/// A sign-in that failed for good: the provider refused the credentials or the refresh
/// token, and only a person can fix it (`baton connect NAME`).
struct SignInFailure: Error, Sendable {
    /// What the provider said, naming the request.
    var message: String
    /// The status of the answer.
    var status: Int
    /// The OAuth2 `error` code, when there was one (`invalid_grant`).
    var providerError: String?
}

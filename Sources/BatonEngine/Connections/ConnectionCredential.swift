import Foundation

/// Where a token comes from when the auth of a request belongs to a signed-in connection.
public struct ConnectionCredential: Sendable {
    /// The connection's evaluated settings.
    public var signIn: ConnectionSignIn
    /// Hands out its tokens.
    public var provider: any ConnectionTokenProviding

    /// Creates a credential.
    public init(signIn: ConnectionSignIn, provider: any ConnectionTokenProviding) {
        self.signIn = signIn
        self.provider = provider
    }
}

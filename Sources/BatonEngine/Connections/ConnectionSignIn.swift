import BatonCore
import Foundation
import JSONata

/// A connection's sign-in settings with their expressions evaluated: what
/// ``ConnectionTokens`` needs to obtain, refresh and send the connection's token.
public struct ConnectionSignIn: Sendable {
    /// How tokens are obtained.
    public enum Method: Sendable {
        /// An OAuth2 grant that acts for a user.
        case oauth2(OAuth2UserClient)
        /// A login request, and maybe a refresh request.
        case session(SessionSignIn)
    }

    /// The connection's name, under which its token set is stored.
    public var name: String
    /// The auth kind as users write it (`oauth2 authorization_code`, `session`).
    public var kind: String
    /// How tokens are obtained.
    public var method: Method
    /// The header the token goes in.
    public var header: String
    /// The word before the token in the header (`Bearer`), if any.
    public var scheme: String?
    /// The timeout of token, login and refresh requests.
    public var requestTimeout: Duration

    /// Creates settings.
    public init(name: String, kind: String, method: Method, header: String = "Authorization", scheme: String? = "Bearer",
                requestTimeout: Duration = .seconds(20)) {
        self.name = name
        self.kind = kind
        self.method = method
        self.header = header
        self.scheme = scheme
        self.requestTimeout = requestTimeout
    }

    /// The header value carrying `token`.
    public func headerValue(_ token: String) -> String {
        scheme.map { "\($0) \(token)" } ?? token
    }

    /// The token inside a header value this connection set.
    func token(fromHeader value: String?) -> String {
        guard let value else { return "" }
        if let scheme, value.hasPrefix(scheme + " ") { return String(value.dropFirst(scheme.count + 1)) }
        return value
    }

    /// The OAuth2 settings, for `baton connect`.
    public var oauth2: OAuth2UserClient? {
        if case .oauth2(let client) = method { return client }
        return nil
    }

    /// The secret values of the settings (client secret, a first refresh token), for the redactor.
    var secretValues: [String] {
        switch method {
        case .oauth2(let client): return client.secretValues
        case .session: return []
        }
    }
}

import Foundation
import JSONata

/// Reads the claims of a JSON Web Token without verifying it: Baton only needs to know when
/// a token it was given expires, and the server that issued it is the one that checks it.
public enum JWTClaims {
    /// The `exp` claim of `token` as a date, when `token` is a JWT that has one.
    public static func expiry(of token: String) -> Date? {
        guard let claims = claims(of: token), let exp = claims["exp"]?.numberValue else { return nil }
        return Date(timeIntervalSince1970: exp)
    }

    /// The claims object of a JWT (its middle part), or nil when `token` is not one.
    public static func claims(of token: String) -> JSONValue? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = PKCE.decodeBase64URL(String(parts[1])),
              let value = try? JSONValue(parsing: String(decoding: data, as: UTF8.self)),
              case .object = value else { return nil }
        return value
    }
}

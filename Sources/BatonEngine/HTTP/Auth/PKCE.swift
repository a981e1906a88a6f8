import Crypto
import Foundation

/// Proof Key for Code Exchange (RFC 7636) with S256, and the `state` that ties a redirect to
/// the authorization that asked for it.
public struct PKCE: Sendable, Hashable {
    /// The secret kept by the client until the code is exchanged (43 characters).
    public var verifier: String
    /// BASE64URL(SHA256(verifier)), sent in the authorization URL.
    public var challenge: String

    /// A fresh verifier and its challenge.
    public init() {
        self.init(verifier: Self.randomText(bytes: 32))
    }

    /// The challenge of a known verifier.
    public init(verifier: String) {
        self.verifier = verifier
        self.challenge = Self.base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    /// Random URL-safe text, for `state` and verifiers.
    public static func randomText(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL(Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    }

    /// Base64url without padding (RFC 4648 §5).
    public static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes of base64url text, padded or not.
    public static func decodeBase64URL(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        return Data(base64Encoded: base64)
    }
}

extension PKCE: CustomStringConvertible {
    /// The challenge only: the verifier is a secret until the exchange.
    public var description: String { "PKCE(challenge: \(challenge))" }
}

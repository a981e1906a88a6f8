import Crypto
import Foundation

/// Webhook signatures as the senders compute them, over the exact body bytes sent.
enum Signatures {
    /// GitHub's `X-Hub-Signature-256`: `sha256=` and the hex HMAC-SHA256.
    static func github(_ body: String, secret: String) -> String {
        "sha256=" + mac(body, secret).map { String(format: "%02x", $0) }.joined()
    }

    /// WooCommerce's `X-WC-Webhook-Signature`: the base64 HMAC-SHA256.
    static func wooCommerce(_ body: String, secret: String) -> String {
        Data(mac(body, secret)).base64EncodedString()
    }

    private static func mac(_ body: String, _ secret: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8))))
    }
}

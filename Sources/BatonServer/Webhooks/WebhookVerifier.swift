import BatonCore
import Crypto
import Foundation

/// Checks that a webhook delivery comes from the holder of the trigger's secret, by the
/// trigger's signature scheme (GitHub, Stripe, Slack, a generic HMAC, or a static token).
///
/// Signatures are checked against the raw body bytes as received, before any parsing, and every
/// comparison takes the same time wherever the values differ.
public struct WebhookVerifier: Sendable {
    /// Checks one delivery against `trigger`'s scheme, header, prefix, encoding and tolerance.
    ///
    /// `secret` is the trigger's `secret:` already resolved to its text; call this only for
    /// triggers that have one. A trigger without a scheme, or an empty secret, is rejected rather
    /// than accepted, so that a misconfiguration never opens the endpoint. `now` is the current
    /// time, for the timestamp checks of Stripe and Slack.
    public static func verify(
        trigger: WebhookTrigger, secret: String, headers: WebhookHeaders, body: [UInt8], now: Date
    ) -> WebhookVerification {
        do {
            try check(trigger: trigger, secret: secret, headers: headers, body: body, now: now)
            return .accepted
        } catch {
            return .rejected(error.reason)
        }
    }

    /// Why a delivery is rejected; thrown inside the verifier and returned as `.rejected`.
    struct Rejection: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private static func check(
        trigger: WebhookTrigger, secret: String, headers: WebhookHeaders, body: [UInt8], now: Date
    ) throws(Rejection) {
        guard let scheme = trigger.scheme else { throw Rejection("this webhook has no signature scheme configured") }
        // An empty key makes an HMAC anyone can compute and a token anyone can send.
        guard !secret.isEmpty else { throw Rejection("the webhook secret is empty") }
        let header = try signatureHeader(of: trigger, scheme: scheme)
        let key = SymmetricKey(data: Array(secret.utf8))
        switch scheme {
        case .github, .hmacSHA256:
            let expected = Array(HMAC<SHA256>.authenticationCode(for: body, using: key))
            try checkSignature(trigger: trigger, header: header, headers: headers, expected: expected)
        case .hmacSHA1:
            let expected = Array(HMAC<Insecure.SHA1>.authenticationCode(for: body, using: key))
            try checkSignature(trigger: trigger, header: header, headers: headers, expected: expected)
        case .stripe:
            try checkStripe(trigger: trigger, header: header, headers: headers, body: body, key: key, now: now)
        case .slack:
            try checkSlack(trigger: trigger, header: header, headers: headers, body: body, key: key, now: now)
        case .token:
            try checkToken(trigger: trigger, header: header, headers: headers, secret: secret)
        }
    }

    /// The configured header, or the scheme's standard one (the checker fills these in; the
    /// fallback keeps the verifier right on its own).
    private static func signatureHeader(of trigger: WebhookTrigger, scheme: WebhookTrigger.SignatureScheme) throws(Rejection)
        -> String
    {
        if let header = trigger.signatureHeader { return header }
        switch scheme {
        case .github: return "X-Hub-Signature-256"
        case .stripe: return "Stripe-Signature"
        case .slack: return "X-Slack-Signature"
        case .hmacSHA256, .hmacSHA1, .token: throw Rejection("this webhook has no signature_header configured")
        }
    }

    /// A signature of the whole body in one header, after an optional prefix.
    private static func checkSignature(
        trigger: WebhookTrigger, header: String, headers: WebhookHeaders, expected: [UInt8]
    ) throws(Rejection) {
        let prefix = trigger.signaturePrefix ?? (trigger.scheme == .github ? "sha256=" : nil)
        let value = try self.value(of: header, in: headers)
        let text = try stripping(prefix, from: value, header: header)
        let encoding = trigger.signatureEncoding
        guard let provided = encoding.decode(text) else {
            throw Rejection("malformed \(header) header: the signature is not \(encoding.rawValue)")
        }
        guard ConstantTime.equal(provided, expected) else { throw Rejection("signature does not match") }
    }

    /// A static token, optionally after a prefix such as `Bearer `.
    private static func checkToken(
        trigger: WebhookTrigger, header: String, headers: WebhookHeaders, secret: String
    ) throws(Rejection) {
        let value = try self.value(of: header, in: headers)
        let token = try stripping(trigger.signaturePrefix, from: value, header: header)
        // Comparing digests rather than the texts keeps the secret's length out of the timing too.
        let provided = Array(SHA256.hash(data: Array(token.utf8)))
        let expected = Array(SHA256.hash(data: Array(secret.utf8)))
        guard ConstantTime.equal(provided, expected) else { throw Rejection("token does not match") }
    }

    // MARK: header text

    /// The header's first value without surrounding spaces; missing and empty are rejections.
    static func value(of header: String, in headers: WebhookHeaders) throws(Rejection) -> Substring {
        guard let raw = headers[header] else { throw Rejection("missing header \(header)") }
        let value = raw[...].trimmingSpaces()
        guard !value.isEmpty else { throw Rejection("header \(header) is empty") }
        return value
    }

    /// `value` without `prefix`, which must be there; compared without regard to ASCII case,
    /// since `Bearer` and `SHA256=` are written both ways.
    static func stripping(_ prefix: String?, from value: Substring, header: String) throws(Rejection) -> Substring {
        guard let prefix, !prefix.isEmpty else { return value }
        let prefixBytes = Array(prefix.utf8)
        let head = value.utf8.prefix(prefixBytes.count)
        guard head.count == prefixBytes.count,
              zip(head, prefixBytes).allSatisfy({ asciiLowercased($0) == asciiLowercased($1) })
        else {
            throw Rejection("malformed \(header) header: expected it to start with '\(prefix)'")
        }
        return Substring(value.utf8.dropFirst(prefixBytes.count))
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}

import BatonCore
import Crypto
import Foundation

/// Stripe and Slack sign a timestamp together with the body and expect receivers to refuse old
/// timestamps, so that a captured delivery cannot be replayed later.
///
/// The signature is checked before the timestamp: only a sender who holds the secret learns that
/// its clock is off, and an unauthenticated caller learns nothing about Baton's clock.
extension WebhookVerifier {
    /// The header Slack puts its signed timestamp in.
    static let slackTimestampHeader = "X-Slack-Request-Timestamp"

    /// `Stripe-Signature: t=<unix time>,v1=<hex>[,v1=<hex>...][,v0=...]`, each v1 a signature of
    /// `"<t>.<body>"`; any v1 may match (Stripe sends several while a secret is being rolled).
    static func checkStripe(
        trigger: WebhookTrigger, header: String, headers: WebhookHeaders, body: [UInt8], key: SymmetricKey, now: Date
    ) throws(Rejection) {
        let malformed = Rejection("malformed \(header) header: expected t=<unix time>,v1=<signature>")
        let value = try self.value(of: header, in: headers)
        var timestamp: Substring? = nil
        var signatures: [Substring] = []
        for item in value.split(separator: ",", omittingEmptySubsequences: true) {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { throw malformed }
            let name = pair[0].trimmingSpaces()
            let text = pair[1].trimmingSpaces()
            switch name {
            case "t":
                // Two timestamps would make it unclear which one was signed.
                guard timestamp == nil else { throw malformed }
                timestamp = text
            case "v1":
                signatures.append(text)
            default:
                // v0 is Stripe's test-mode scheme and other keys may be added; neither is checked.
                continue
            }
        }
        guard let timestamp, let seconds = unixSeconds(timestamp), !signatures.isEmpty else { throw malformed }

        var mac = HMAC<SHA256>(key: key)
        mac.update(data: Array(timestamp.utf8) + [UInt8(ascii: ".")])
        mac.update(data: body)
        let expected = Array(mac.finalize())
        var matched = false
        for signature in signatures {
            // A v1 that is not valid in the encoding simply does not match; the others still may.
            guard let provided = trigger.signatureEncoding.decode(signature) else { continue }
            // Compare every candidate, so the time taken does not tell which one matched.
            matched = ConstantTime.equal(provided, expected) || matched
        }
        guard matched else { throw Rejection("signature does not match") }
        try checkAge(seconds, tolerance: trigger.tolerance, now: now)
    }

    /// `X-Slack-Signature: v0=<hex>` over `"v0:<X-Slack-Request-Timestamp>:<body>"`.
    static func checkSlack(
        trigger: WebhookTrigger, header: String, headers: WebhookHeaders, body: [UInt8], key: SymmetricKey, now: Date
    ) throws(Rejection) {
        let value = try self.value(of: header, in: headers)
        let text = try stripping(trigger.signaturePrefix ?? "v0=", from: value, header: header)
        let encoding = trigger.signatureEncoding
        guard let provided = encoding.decode(text) else {
            throw Rejection("malformed \(header) header: the signature is not \(encoding.rawValue)")
        }
        let timestamp = try self.value(of: slackTimestampHeader, in: headers)
        guard let seconds = unixSeconds(timestamp) else {
            throw Rejection("malformed \(slackTimestampHeader) header: expected a Unix time in seconds")
        }

        var mac = HMAC<SHA256>(key: key)
        mac.update(data: Array("v0:\(timestamp):".utf8))
        mac.update(data: body)
        guard ConstantTime.equal(provided, Array(mac.finalize())) else { throw Rejection("signature does not match") }
        try checkAge(seconds, tolerance: trigger.tolerance, now: now)
    }

    /// Accepts a timestamp at most `tolerance` away from `now`, in either direction: a clock
    /// running ahead is as suspect as a delivery arriving late.
    private static func checkAge(_ seconds: Int64, tolerance: Duration, now: Date) throws(Rejection) {
        let limit = Double(tolerance.components.seconds) + Double(tolerance.components.attoseconds) / 1e18
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= limit else {
            throw Rejection("timestamp outside the \(DurationText.format(tolerance)) tolerance")
        }
    }

    /// Whole seconds since 1970 written as plain digits, as both senders do.
    private static func unixSeconds(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 12, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return nil
        }
        return Int64(text)
    }
}

import Foundation

/// Replaces secret values with `***` in text about to be stored or logged.
enum SecretRedaction {
    /// Values shorter than this are left alone: masking "1" or "ab" would garble unrelated text,
    /// and such values are not secrets worth the name.
    static let minimumLength = 4

    /// `text` with every occurrence of every secret value replaced, longest values first so a
    /// secret that contains another is masked whole.
    static func redact(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets.filter({ $0.count >= minimumLength }).sorted(by: { $0.count > $1.count })
        where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: "***")
        }
        return result
    }
}

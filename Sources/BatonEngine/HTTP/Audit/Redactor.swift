import JSONata
import OrderedCollections

/// Replaces the secret values in use with `***` wherever they appear in what is recorded.
///
/// Secrets are replaced longest first, so a secret that contains another is masked whole.
/// Values shorter than ``minimumLength`` (4) characters are NOT redacted: masking every "1" or
/// "ab" would destroy the text around it while protecting nothing that could not be guessed.
/// Keep real secrets longer than that.
public struct Redactor: Sendable {
    /// The mask written in place of a secret.
    public static let mask = "***"
    /// The shortest value that is redacted.
    public static let minimumLength = 4

    /// The secrets this redactor masks, longest first.
    public let secrets: [String]
    /// Values learnt while the process runs (connections' tokens), masked as well.
    public let live: LiveSecrets?

    /// Creates a redactor for `secrets` and the `live` values, ignoring values shorter than ``minimumLength``.
    public init<S: Sequence>(secrets: S, live: LiveSecrets? = nil) where S.Element == String {
        self.live = live
        // Also mask the forms a secret takes in a URL or form body and in basic auth.
        var all = Set<String>()
        for secret in secrets where secret.count >= Self.minimumLength {
            all.insert(secret)
            let escaped = URLQuery.escape(secret)
            if escaped != secret { all.insert(escaped) }
        }
        self.secrets = all.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// A redactor that changes nothing.
    public static let none = Redactor(secrets: [String]())

    /// Every value to mask, longest first (so a secret that contains another is masked whole).
    private var allSecrets: [String] {
        guard let extra = live?.values, !extra.isEmpty else { return secrets }
        guard !secrets.isEmpty else { return extra }
        return (secrets + extra).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// `text` with every secret replaced by `***`.
    public func redact(_ text: String) -> String {
        guard !text.isEmpty else { return text }
        let all = allSecrets
        guard !all.isEmpty else { return text }
        var result = text
        for secret in all where result.contains(secret) {
            result = result.replacing(secret, with: Self.mask)
        }
        return result
    }

    /// `value` with every secret in its strings (and object keys) replaced by `***`.
    public func redact(_ value: JSONValue) -> JSONValue {
        guard !secrets.isEmpty || live?.isEmpty == false else { return value }
        switch value {
        case .string(let s): return .string(redact(s))
        case .array(let items): return .array(items.map(redact))
        case .object(let members):
            var out = OrderedDictionary<String, JSONValue>(minimumCapacity: members.count)
            for (key, member) in members { out[redact(key)] = redact(member) }
            return .object(out)
        case .null, .bool, .number: return value
        }
    }

    /// Header values with every secret replaced by `***`.
    public func redact(headers: [(String, String)]) -> [(String, String)] {
        headers.map { ($0.0, redact($0.1)) }
    }
}

/// A redactor holds the secrets it masks: describing it must not print them.
extension Redactor: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// How many secrets it masks, without them.
    public var description: String { "Redactor(\(secrets.count) secrets, values hidden)" }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the secrets.
    public var customMirror: Mirror { Mirror(self, children: ["secrets": secrets.count], displayStyle: .struct) }
}

/// The headers of a webhook delivery, looked up by name without regard to case.
///
/// HTTP header names are case-insensitive, and senders differ: GitHub writes
/// `X-Hub-Signature-256`, proxies often lower-case everything.
public struct WebhookHeaders: Sendable {
    /// The headers as received, in order, names as the sender wrote them.
    public let pairs: [(name: String, value: String)]

    /// Headers from `(name, value)` pairs in the order they arrived.
    public init(_ pairs: [(String, String)]) {
        self.pairs = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of the header `name`, compared case-insensitively, or nil when absent.
    public subscript(name: String) -> String? {
        let wanted = Self.folded(name)
        // Header names are ASCII tokens; folding ASCII only avoids Unicode case rules surprising anyone.
        return pairs.first { Self.folded($0.name) == wanted }?.value
    }

    private static func folded(_ name: String) -> [UInt8] {
        name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }
}

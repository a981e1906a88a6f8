import Foundation

/// Percent-encoding for the parts of the dashboard's own URLs.
enum DashboardURL {
    /// Characters left as they are in a query value or a path segment.
    private static let unreserved = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `value` percent-encoded for a query value or a path segment.
    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// `path?name=value&...`, leaving out empty values.
    static func make(_ path: String, _ query: [(String, String?)]) -> String {
        let pairs = query.compactMap { name, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return "\(encode(name))=\(encode(value))"
        }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }

    /// The page of run `id`.
    static func run(_ id: String) -> String { "/runs/" + encode(id) }

    /// Whether `target` is a path on this server, safe to redirect to after signing in
    /// (not `//host`, not a scheme, no backslashes browsers read as slashes).
    static func isLocal(_ target: String) -> Bool {
        target.hasPrefix("/") && !target.hasPrefix("//") && !target.contains("\\")
            && !target.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}

import Foundation
import Hummingbird

/// The fields of a form the dashboard posted (`application/x-www-form-urlencoded`).
struct DashboardForm: Sendable {
    /// The dashboard's forms are a few short fields; anything larger is not one of them.
    static let maximumSize = 16 * 1024

    private let fields: [String: String]

    /// A form with these fields.
    init(_ fields: [String: String] = [:]) { self.fields = fields }

    /// The value of field `name`, if it was sent.
    subscript(name: String) -> String? { fields[name] }

    /// Reads the request's form; a body that is not a form (or too large) reads as no fields,
    /// which every handler then refuses for a missing token.
    static func read(_ request: Request) async -> DashboardForm {
        guard let buffer = try? await request.body.collect(upTo: maximumSize) else { return DashboardForm() }
        return parse(String(buffer: buffer))
    }

    /// The fields of the request's query string (a GET form).
    static func query(_ request: Request) -> DashboardForm { parse(request.uri.query ?? "") }

    /// Parses `name=value&...`: `+` is a space, `%XX` a byte; the first of repeated names wins.
    /// (Hummingbird's form decoder refuses repeated names and reads `a[b]` as nesting; a hand-edited
    /// URL should still show its page.)
    static func parse(_ text: String) -> DashboardForm {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), !name.isEmpty, fields[name] == nil else { continue }
            // A value that is not valid percent-encoding is dropped, as if it had not been sent.
            fields[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return DashboardForm(fields)
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

import Foundation
import JSONata

/// A stored error as a person reads it. Runs and steps store `{code, message, ...details}`
/// (``BatonEngine/StepFailure``); the message is what explains the failure, so it comes first
/// and in full, and the rest folds open beneath it.
enum ErrorView {
    /// The error's message (its whole text when it is not a JSON object with one).
    static func message(_ text: String) -> String {
        parts(text)?.message ?? text
    }

    /// The error, its code as a label, and its other fields as foldable JSON.
    static func render(_ text: String) -> HTML {
        guard let (code, message, hasDetails) = parts(text) else { return "<pre class=\"error\">\(text)</pre>" }
        let label: HTML = code.map { "<strong>\($0)</strong>: " } ?? .empty
        let details: HTML = hasDetails ? JSONView.block("Error details", text) : .empty
        return "<pre class=\"error\">\(label)\(message)</pre>\(details)"
    }

    private static func parts(_ text: String) -> (code: String?, message: String, hasDetails: Bool)? {
        guard text.hasPrefix("{"), case .object(let fields)? = try? JSONValue(parsing: text),
              let message = fields["message"]?.stringValue else { return nil }
        let code = fields["code"]?.stringValue
        let others = fields.keys.filter { $0 != "message" && $0 != "code" }
        return (code, message, !others.isEmpty)
    }
}

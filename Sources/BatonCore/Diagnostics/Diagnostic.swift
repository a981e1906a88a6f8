/// One problem found in a workflow file, printed as
/// `Workflows/post.yaml:14:9: error: unknown key 'retries' in step 'publish'; did you mean 'retry'?`.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// How bad a diagnostic is.
    public enum Severity: String, Sendable, Hashable, Codable {
        /// The workflow cannot be used.
        case error
        /// The workflow loads, but something is probably not what the author meant.
        case warning
    }

    /// Where the problem is.
    public var location: SourceLocation
    /// Error or warning.
    public var severity: Severity
    /// What is wrong and how to fix it, in one sentence.
    public var message: String

    /// Creates a diagnostic.
    public init(_ severity: Severity, _ message: String, at location: SourceLocation) {
        self.location = location
        self.severity = severity
        self.message = message
    }

    /// Creates an error diagnostic.
    public static func error(_ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.error, message, at: location)
    }

    /// Creates a warning diagnostic.
    public static func warning(_ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.warning, message, at: location)
    }

    /// The compiler form: `file:line:column: severity: message`.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

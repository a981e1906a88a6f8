/// Thrown when a workflow file cannot be loaded; carries every problem found, not just the first.
public struct WorkflowError: Error, Sendable, CustomStringConvertible {
    /// All diagnostics of the file, errors and warnings, in source order.
    public var diagnostics: [Diagnostic]

    /// Creates the error from the diagnostics collected while loading.
    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// Only the errors.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    /// One diagnostic per line, in the compiler form.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

import Foundation

/// Loads workflow files into checked `Workflow`s, reporting every problem with its location.
public enum WorkflowLoader {
    /// The outcome of loading one file: the workflow when it has no errors, and every diagnostic.
    public struct Result: Sendable {
        /// The file as named.
        public var file: String
        /// The checked workflow, nil when the file has errors.
        public var workflow: Workflow?
        /// Errors and warnings, in source order.
        public var diagnostics: [Diagnostic]

        /// Whether any diagnostic is an error.
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// File extensions read as workflows.
    public static let extensions: Set<String> = ["yaml", "yml", "json"]

    /// Loads the file at `path`; messages name it as `path` was written.
    public static func load(file path: String) -> Result {
        switch SourceParser.parse(contentsOf: path, displayPath: path) {
        case .failure(let diagnostic):
            return Result(file: path, workflow: nil, diagnostics: [diagnostic])
        case .success(let (text, root)):
            return check(root, text: text, file: path)
        }
    }

    /// Loads workflow text; `file` names it in messages and provides the default workflow name.
    public static func load(text: String, file: String) -> Result {
        switch SourceParser.parse(text: text, displayPath: file) {
        case .failure(let diagnostic):
            return Result(file: file, workflow: nil, diagnostics: [diagnostic])
        case .success(let root):
            return check(root, text: text, file: file)
        }
    }

    /// Loads the file and throws every diagnostic when it has an error.
    public static func loadOrThrow(file path: String) throws(WorkflowError) -> Workflow {
        let result = load(file: path)
        guard let workflow = result.workflow else { throw WorkflowError(diagnostics: result.diagnostics) }
        return workflow
    }

    /// The workflow files of a directory (not recursing into sub-directories), sorted by name.
    public static func workflowFiles(in directory: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        return names.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) && !$0.hasPrefix(".") }
            .sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }

    private static func check(_ root: SourceNode, text: String, file: String) -> Result {
        let checker = WorkflowChecker(file: file, text: text)
        let workflow = checker.check(root)
        return Result(file: file, workflow: workflow, diagnostics: checker.sortedDiagnostics)
    }
}

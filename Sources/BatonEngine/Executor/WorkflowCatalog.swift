import BatonCore
import BatonStore
import Crypto
import Foundation

/// Saves workflows as versions and loads the exact version a stored run points at, so any
/// worker can execute any run, even one started from a file it never saw.
public actor WorkflowCatalog {
    private let store: any RunStore
    private var byVersion: [Int64: Workflow] = [:]

    /// Creates a catalog over a store.
    public init(store: any RunStore) {
        self.store = store
    }

    /// Saves `workflow`'s source as a version (or finds the same one) and returns its id.
    public func save(_ workflow: Workflow, now: Date) async throws -> Int64 {
        let version = try await store.saveWorkflowVersion(name: workflow.name, hash: Self.hash(workflow.sourceText),
                                                          source: workflow.sourceText, now: now)
        byVersion[version.id] = workflow
        return version.id
    }

    /// The workflow of a stored version, loaded from its saved source when not in memory.
    public func workflow(version id: Int64) async throws -> Workflow {
        if let known = byVersion[id] { return known }
        guard let version = try await store.workflowVersion(id: id) else {
            throw StoreError.workflowVersionNotFound(id: id)
        }
        let result = WorkflowLoader.load(text: version.source, file: "\(version.name).yaml")
        guard let workflow = result.workflow else {
            throw WorkflowError(diagnostics: result.diagnostics)
        }
        byVersion[id] = workflow
        return workflow
    }

    /// The SHA-256 of a workflow's text, in hex: two saves of the same text are one version.
    public static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

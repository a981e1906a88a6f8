import Foundation

/// One exact version of a workflow file; every run points at the version that ran.
public struct WorkflowVersion: Sendable, Hashable, Codable {
    /// Store-assigned identifier, stable for the life of the database.
    public var id: Int64
    /// The workflow's `name:`.
    public var name: String
    /// Content hash of `source` (computed by the caller, e.g. SHA-256 hex).
    public var hash: String
    /// The workflow file's text exactly as loaded.
    public var source: String
    /// When this version was first saved.
    public var createdAt: Date

    /// Creates a value; stores create these, callers rarely need to.
    public init(id: Int64, name: String, hash: String, source: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.hash = hash
        self.source = source
        self.createdAt = createdAt
    }
}

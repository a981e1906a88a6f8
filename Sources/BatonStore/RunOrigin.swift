import Foundation

/// Where a run came from when it was made from an earlier run: a retry or a replay of it.
public struct RunOrigin: Sendable, Hashable, Codable {
    /// How a run was made from an earlier one.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        /// Continues a failed run from its failed steps, keeping the outputs of the steps that succeeded.
        case retry
        /// Runs again from the start with the same trigger payload and inputs.
        case replay

        /// The raw value, as stored and as shown to users.
        public var description: String { rawValue }
    }

    /// The run that was made.
    public var runID: String
    /// The earlier run it was made from (which may since have been pruned).
    public var originalRunID: String
    /// How it was made.
    public var kind: Kind
    /// When it was made.
    public var createdAt: Date

    /// Creates a value; stores create these, callers rarely need to.
    public init(runID: String, originalRunID: String, kind: Kind, createdAt: Date) {
        self.runID = runID
        self.originalRunID = originalRunID
        self.kind = kind
        self.createdAt = createdAt
    }
}

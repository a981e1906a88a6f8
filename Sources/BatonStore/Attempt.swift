import Foundation

/// One recorded try of a step, as stored.
public struct Attempt: Sendable, Hashable, Codable {
    /// The run the attempt belongs to.
    public var runID: String
    /// Which step, and which `for_each` item.
    public var key: StepKey
    /// The attempt as the executor recorded it.
    public var attempt: NewAttempt

    /// Creates a value; stores create these, callers rarely need to.
    public init(runID: String, key: StepKey, attempt: NewAttempt) {
        self.runID = runID
        self.key = key
        self.attempt = attempt
    }
}

import Foundation

/// A waiting step subscribed to a named event (a `wait_for` step).
public struct EventWait: Sendable, Hashable {
    /// The run the step belongs to.
    public var runID: String
    /// The waiting step (or `for_each` item).
    public var step: StepKey
    /// The event the step waits for.
    public var event: String
    /// When the step began waiting.
    public var since: Date

    /// Creates a value; stores create these, callers rarely need to.
    public init(runID: String, step: StepKey, event: String, since: Date) {
        self.runID = runID
        self.step = step
        self.event = event
        self.since = since
    }
}

import Foundation

/// One execution of a step (or one `for_each` item) in a run, as stored.
public struct StepExecution: Sendable, Hashable, Codable {
    /// The run this execution belongs to.
    public var runID: String
    /// Which step, and which `for_each` item.
    public var key: StepKey
    /// Current status.
    public var status: StepStatus
    /// The step's evaluated input as JSON text.
    public var input: String?
    /// The step's output as JSON text, once it succeeded (or, before it finishes, a delivered event's payload).
    public var output: String?
    /// What went wrong, once it failed.
    public var error: String?
    /// When the step first started.
    public var startedAt: Date?
    /// When the step reached a terminal status.
    public var finishedAt: Date?
    /// While `waiting`: when the step's durable timer is due.
    public var wakeAt: Date?
    /// While `waiting`: the event the step is subscribed to, until it is delivered.
    public var awaitingEvent: String?
    /// When an event was delivered to the step; its payload is then the step's `output`.
    public var eventDeliveredAt: Date?
    /// The highest attempt number recorded; the executor numbers the next attempt from it after a crash.
    public var attemptCount: Int
    /// When the row last changed.
    public var updatedAt: Date

    /// Creates a value; stores create these, callers rarely need to.
    public init(
        runID: String, key: StepKey, status: StepStatus, input: String?, output: String?,
        error: String?, startedAt: Date?, finishedAt: Date?, wakeAt: Date?, attemptCount: Int,
        updatedAt: Date, awaitingEvent: String? = nil, eventDeliveredAt: Date? = nil
    ) {
        self.runID = runID
        self.key = key
        self.status = status
        self.input = input
        self.output = output
        self.error = error
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.wakeAt = wakeAt
        self.attemptCount = attemptCount
        self.updatedAt = updatedAt
        self.awaitingEvent = awaitingEvent
        self.eventDeliveredAt = eventDeliveredAt
    }
}

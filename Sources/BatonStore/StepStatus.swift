/// Where one step execution (a step, or one `for_each` item of it) is in its life.
public enum StepStatus: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// The step started and has not finished; after a crash it is run again.
    case running
    /// The step is a durable wait parked until its wake time.
    case waiting
    /// The step finished successfully.
    case succeeded
    /// The step finished with an error after its last attempt.
    case failed
    /// The step did not run (its `if:` was false, or a dependency failed).
    case skipped
    /// The step was stopped because its run was cancelled.
    case cancelled

    /// Whether the step is finished for good.
    public var isTerminal: Bool {
        switch self {
        case .running, .waiting: false
        case .succeeded, .failed, .skipped, .cancelled: true
        }
    }

    /// The raw value, as stored and as shown to users.
    public var description: String { rawValue }
}

/// The outcome of ``RunStore/createRun(_:now:)``.
public enum CreateRunResult: Sendable, Hashable {
    /// A new run was created and is durable.
    case created(Run)
    /// The idempotency key was already used for this workflow; this is the first run, and nothing new was created.
    case duplicate(Run)

    /// The run, whether new or the earlier one.
    public var run: Run {
        switch self {
        case .created(let run), .duplicate(let run): run
        }
    }

    /// Whether a new run was created.
    public var isCreated: Bool {
        if case .created = self { true } else { false }
    }
}

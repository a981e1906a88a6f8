/// Why a retry, replay, cancel or prune was refused; `kind` says how an API answers it.
public struct RunOperationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure, for choosing an HTTP status or an exit code.
    public enum Kind: Sendable, Hashable {
        /// The run (or workflow version) does not exist: 404.
        case notFound
        /// The run is not in a state that allows the operation: 409.
        case conflict
        /// The request itself is wrong: 400.
        case invalid
        /// The store failed: 503.
        case unavailable
    }

    /// The class of failure.
    public var kind: Kind
    /// A short stable code for API responses (`run_not_found`, `not_retryable`, ...).
    public var code: String
    /// What went wrong and what to do about it.
    public var message: String
    /// Each problem, when there are several (inputs that no longer fit the workflow).
    public var problems: [String]

    /// Describes a refusal.
    public init(_ kind: Kind, code: String, _ message: String, problems: [String] = []) {
        self.kind = kind
        self.code = code
        self.message = message
        self.problems = problems
    }

    /// The message.
    public var description: String { message }

    /// No run has this id.
    static func runNotFound(_ id: String) -> RunOperationError {
        RunOperationError(.notFound, code: "run_not_found", "no run with id '\(id)'; list runs with `baton runs list` or GET /api/runs")
    }

    /// A store failure, with what was being done.
    static func store(_ error: any Error, while doing: String) -> RunOperationError {
        if let known = error as? RunOperationError { return known }
        return RunOperationError(.unavailable, code: "store", "\(doing) failed: \(error)")
    }
}

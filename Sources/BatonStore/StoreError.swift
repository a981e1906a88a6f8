/// Why a store operation failed; match on the case, show ``description`` to people.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No run has this id.
    case notFound(runID: String)
    /// No workflow version has this id.
    case workflowVersionNotFound(id: Int64)
    /// A run with this id already exists (only when the creator chose the id).
    case duplicateRunID(String)
    /// The worker no longer holds the run's lease (it expired and another worker took the run,
    /// or the worker released it); the worker must stop working on the run.
    case leaseLost(runID: String)
    /// The run was cancelled while the worker held it; the worker must stop working on it.
    case runCancelled(runID: String)
    /// The run is not in a status that allows the change.
    case invalidTransition(runID: String, from: RunStatus, to: RunStatus)
    /// The step execution is not in a status that allows the change.
    case invalidStepTransition(runID: String, step: StepKey, from: StepStatus, to: StepStatus)
    /// The request itself is malformed (a programming error in the caller).
    case invalidArgument(String)
    /// The database failed (I/O, locked for longer than the busy timeout, corrupt data).
    case database(String)

    /// A short stable code for logs and API responses.
    public var code: String {
        switch self {
        case .notFound: "run_not_found"
        case .workflowVersionNotFound: "workflow_version_not_found"
        case .duplicateRunID: "duplicate_run_id"
        case .leaseLost: "lease_lost"
        case .runCancelled: "run_cancelled"
        case .invalidTransition: "invalid_transition"
        case .invalidStepTransition: "invalid_step_transition"
        case .invalidArgument: "invalid_argument"
        case .database: "database_error"
        }
    }

    /// What went wrong and what to do about it.
    public var description: String {
        switch self {
        case .notFound(let runID):
            "run \(runID) does not exist; check the id with `baton runs list`"
        case .workflowVersionNotFound(let id):
            "workflow version \(id) does not exist; save the workflow version before creating runs of it"
        case .duplicateRunID(let id):
            "a run with id \(id) already exists; pass no id to let the store generate one"
        case .leaseLost(let runID):
            "this worker no longer holds the lease of run \(runID) (it expired or was released); stop working on the run, another worker resumes it"
        case .runCancelled(let runID):
            "run \(runID) was cancelled; stop working on it"
        case .invalidTransition(let runID, let from, let to):
            "run \(runID) is \(from) and cannot become \(to)"
        case .invalidStepTransition(let runID, let step, let from, let to):
            "step \(step) of run \(runID) is \(from) and cannot become \(to)"
        case .invalidArgument(let message):
            message
        case .database(let message):
            "database error: \(message)"
        }
    }
}

import BatonStore
import Foundation
import JSONata

/// How one execution of a step (or of one for_each item) ended.
enum StepOutcome: Sendable {
    /// It produced its output.
    case succeeded(JSONValue?, attempts: [NewAttempt])
    /// It failed for good; `endsRun` is true for a `fail` step, which fails the run whatever `on_error` says.
    case failed(StepFailure, attempts: [NewAttempt], endsRun: Bool)
    /// Its `if` was false.
    case skipped
    /// It waits durably until `wakeAt` (the run parks without holding a task); `event` names the
    /// event a `wait_for` step is subscribed to, which may wake it earlier.
    case parked(wakeAt: Date, event: String? = nil)
    /// It was stopped because the run was cancelled or failed elsewhere.
    case cancelled
}

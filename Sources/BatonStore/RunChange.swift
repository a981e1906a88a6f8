import Foundation

/// One change a worker makes to a run it holds the lease of; see ``RunStore/commit(_:owner:now:)``.
///
/// Within one commit call, a run-level change (`runFinished`, `runParked`, `leaseReleased`)
/// must be the last change for its run.
///
/// Event waits (`wait_for`): `stepWaiting` with an `event` subscribes the step to that event
/// (see ``TriggerStore``). ``TriggerStore/deliverEvent(_:payload:now:)`` stores the event's
/// payload as the step's `output`, ends the subscription and wakes the run; the step row stays
/// `waiting` with ``StepExecution/eventDeliveredAt`` set, and the worker that claims the run
/// finishes the step from that `output`. A delivered payload is never erased before the step
/// finishes: `stepStarted` on an unfinished step keeps its `output` when an event was delivered
/// to it (and clears it otherwise, as before). `stepStarted`, `stepFinished` and cancellation
/// end a subscription that was not delivered; a `stepWaiting` replaces the step's subscription
/// (and forgets an earlier delivery and its output).
public enum RunChange: Sendable, Hashable {
    /// A step (or `for_each` item) started; starting a `running` or `waiting` step again is allowed (at-least-once
    /// after a crash). It ends an undelivered event subscription and keeps a delivered event's `output`.
    case stepStarted(runID: String, step: StepKey, input: String? = nil)
    /// An attempt finished (typically a failed one before a retry); the step stays `running`.
    case attemptRecorded(runID: String, step: StepKey, attempt: NewAttempt)
    /// The step is a durable wait until `wakeAt` (its timeout, for an event wait), subscribed to `event` when one is
    /// given; usually followed by `runParked` in the same commit.
    case stepWaiting(runID: String, step: StepKey, wakeAt: Date, event: String? = nil)
    /// The step reached a terminal status; `attempts` are recorded first, in the same transaction.
    case stepFinished(
        runID: String, step: StepKey, status: StepStatus, output: String? = nil, error: String? = nil,
        attempts: [NewAttempt] = []
    )
    /// The run reached a terminal status; its lease is released.
    case runFinished(runID: String, status: RunStatus, output: String? = nil, error: String? = nil)
    /// The run waits for a durable timer: status `waiting`, lease released, claimable again at `wakeAt`.
    case runParked(runID: String, wakeAt: Date)
    /// The worker gives the run back (graceful shutdown): status `queued`, claimable at once.
    case leaseReleased(runID: String)

    /// The run this change applies to.
    public var runID: String {
        switch self {
        case .stepStarted(let runID, _, _), .attemptRecorded(let runID, _, _),
            .stepWaiting(let runID, _, _, _), .stepFinished(let runID, _, _, _, _, _),
            .runFinished(let runID, _, _, _), .runParked(let runID, _), .leaseReleased(let runID):
            runID
        }
    }

    /// Whether the change ends the worker's hold on the run.
    public var isRunLevel: Bool {
        switch self {
        case .runFinished, .runParked, .leaseReleased: true
        case .stepStarted, .attemptRecorded, .stepWaiting, .stepFinished: false
        }
    }
}

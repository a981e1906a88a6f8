import BatonCore
import BatonEngine
import BatonStore
import Foundation
import JSONata
import Logging
import Synchronization

/// Creates runs for every trigger kind, durably, and wakes the worker.
struct RunStarter: Sendable {
    let store: any RunStore
    let signal: WorkSignal
    let metrics: ServerMetrics
    let clock: any WallClock
    let logger: Logger
    /// Whether a wake-up of the worker is already on its way (see ``created(_:workflow:kind:)``).
    let wakeQueued = WakeQueued()

    /// Creates a queued run of `served` (or returns the earlier run with the same idempotency key).
    func start(_ served: ServedWorkflow, kind: TriggerKind, payload: JSONValue, inputs: JSONValue? = nil,
               idempotencyKey: String? = nil) async throws -> CreateRunResult {
        let resolved = try RunInputs.resolve(inputs, for: served.workflow)
        let new = NewRun(workflowVersionID: served.versionID, triggerKind: kind, triggerPayload: payload.serialized(),
                         inputs: resolved.serialized(), idempotencyKey: idempotencyKey)
        let result = try await store.createRun(new, now: clock.now())
        if result.isCreated { created(result.run, workflow: served.name, kind: kind) }
        return result
    }

    /// Counts, logs and announces a run created here (also by the scheduler and poller in batch).
    ///
    /// The run is logged at debug level: at thousands of webhooks a second a line per run cost
    /// two system calls and string formatting per delivery (the run itself is in the store, and
    /// `baton_runs_started_total` counts it).
    ///
    /// Wake-ups are coalesced: while one is queued and has not reached the worker yet, runs
    /// created meanwhile need no other, since the worker claims everything committed before it
    /// wakes. Under load this spares a task and a worker wake-up per run.
    func created(_ run: Run, workflow: String, kind: TriggerKind) {
        metrics.runStarted(workflow: workflow, trigger: kind.rawValue)
        logger.debug("run created", metadata: ["run.id": "\(run.id)", "workflow.name": "\(workflow)", "trigger.kind": "\(kind.rawValue)"])
        guard wakeQueued.claim() else { return }
        let signal = signal, wakeQueued = wakeQueued
        Task {
            // Cleared before notifying: a run created after this line queues a wake-up of its own.
            wakeQueued.release()
            await signal.notify()
        }
    }

    /// Whether `served` has a run that has not finished, for `overlap: skip`.
    func hasActiveRun(_ served: ServedWorkflow) async throws -> Bool {
        try await store.countRuns(filter: RunFilter(workflowName: served.name, statuses: [.queued, .running, .waiting])) > 0
    }

    /// A flag shared by the copies of a ``RunStarter``: set while a worker wake-up is queued.
    final class WakeQueued: Sendable {
        private let queued = Atomic(false)

        /// Sets the flag; returns true when it was clear, i.e. the caller must queue the wake-up.
        func claim() -> Bool {
            queued.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        }

        /// Clears the flag.
        func release() {
            queued.store(false, ordering: .releasing)
        }
    }
}

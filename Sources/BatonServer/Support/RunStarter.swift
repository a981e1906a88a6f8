import BatonCore
import BatonEngine
import BatonStore
import Foundation
import JSONata
import Logging

/// Creates runs for every trigger kind, durably, and wakes the worker.
struct RunStarter: Sendable {
    let store: any RunStore
    let signal: WorkSignal
    let metrics: ServerMetrics
    let clock: any WallClock
    let logger: Logger

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
    func created(_ run: Run, workflow: String, kind: TriggerKind) {
        metrics.runStarted(workflow: workflow, trigger: kind.rawValue)
        logger.info("run created", metadata: ["run.id": "\(run.id)", "workflow.name": "\(workflow)", "trigger.kind": "\(kind.rawValue)"])
        let signal = signal
        Task { await signal.notify() }
    }

    /// Whether `served` has a run that has not finished, for `overlap: skip`.
    func hasActiveRun(_ served: ServedWorkflow) async throws -> Bool {
        try await store.countRuns(filter: RunFilter(workflowName: served.name, statuses: [.queued, .running, .waiting])) > 0
    }
}

import BatonEngine
import BatonStore
import Foundation

extension ServerState {
    /// Retry, replay, cancel and prune on this server's store; a replay runs the version this
    /// server serves. After a retry or replay, pass the new run to ``announce(_:)``.
    var runOperations: RunOperations {
        let registry = registry
        return RunOperations(store: store, catalog: dependencies.catalog, clock: clock,
                             currentVersion: { name in await registry.workflow(named: name)?.versionID })
    }

    /// Counts and logs a run a retry or replay created, and wakes the worker to run it.
    func announce(_ result: CreateRunResult) {
        guard result.isCreated else { return }
        starter.created(result.run, workflow: result.run.workflowName, kind: result.run.triggerKind)
    }
}

import BatonCore
import BatonStore

extension Workflow {
    /// The steps a new run of this workflow starts with (those that depend on no other step),
    /// to record as started when the run is created (``RunStore/createClaimedRun(_:owner:leaseDuration:startingSteps:now:)``).
    public var firstSteps: [StepKey] {
        var machine = RunStateMachine(main: steps.map(RunExecution.node), onFailure: onFailure.map(RunExecution.node))
        return machine.start().flatMap { action -> [StepKey] in
            if case .start(let id) = action { return [StepKey(id)] }
            return []
        }
    }
}

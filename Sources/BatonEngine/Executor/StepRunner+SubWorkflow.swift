import BatonCore
import BatonStore
import Foundation
import JSONata

extension StepRunner {
    /// Starts another workflow as its own run and waits for it; its output becomes this step's.
    ///
    /// The child run is created with an idempotency key made of this run and step, so a step
    /// that runs again after a crash finds the child it started instead of starting another.
    func performSubWorkflow(_ call: WorkflowCallSpec, context: JSONValue, index: Int?) async -> StepOutcome {
        guard let child = await dependencies.resolveWorkflow(call.name) else {
            return .failed(StepFailure(code: "unknown_workflow",
                                       message: "step '\(step.id)' starts workflow '\(call.name)', which is not loaded; put \(call.name).yaml beside this workflow or in the workflows folder"),
                           attempts: [], endsRun: false)
        }
        let inputs: JSONValue
        do {
            inputs = try RunInputs.resolve(try call.input?.evaluate(in: context), for: child)
        } catch let error as TemplateEvaluationError {
            return .failed(StepFailure(code: "expression", message: "input of step '\(step.id)': \(error)"), attempts: [], endsRun: false)
        } catch {
            return .failed(StepFailure(code: "invalid_input", message: "inputs for workflow '\(call.name)': \(error)"),
                           attempts: [], endsRun: false)
        }
        let store = dependencies.store
        let childRun: Run
        do {
            let version = try await dependencies.catalog.save(child, now: dependencies.clock.now())
            let key = "\(run.id)/\(step.id)" + (index.map { "/\($0)" } ?? "")
            let payload: JSONValue = ["parent_run": .string(run.id), "parent_step": .string(step.id)]
            childRun = try await store.createRun(NewRun(workflowVersionID: version, triggerKind: .manual,
                                                        triggerPayload: payload.serialized(), inputs: inputs.serialized(),
                                                        idempotencyKey: key), now: dependencies.clock.now()).run
            await dependencies.workSignal.notify()
        } catch {
            return .failed(StepFailure(code: "store", message: "could not start workflow '\(call.name)': \(error)", retryable: true),
                           attempts: [], endsRun: false)
        }
        // Poll the child's status, backing off from 20 ms; past the in-process wait limit the
        // parent parks (releasing its worker slot, so parents cannot starve their children of
        // workers) and polls again when it wakes.
        var delay = Duration.milliseconds(20)
        let pollUntil = dependencies.clock.now().addingTimeInterval(dependencies.inProcessWaitLimit.timeInterval)
        while !Task.isCancelled {
            guard let current = try? await store.run(id: childRun.id) else { break }
            switch current.status {
            case .succeeded:
                let output = current.output.flatMap { try? JSONValue(parsing: $0) }
                return .succeeded(output, attempts: [])
            case .failed, .cancelled:
                var failure = StepFailure(code: "workflow_failed",
                                          message: "workflow '\(call.name)' (run \(current.id)) \(current.status.rawValue)")
                failure.details["run_id"] = .string(current.id)
                if let error = current.error.flatMap({ try? JSONValue(parsing: $0) }) { failure.details["error"] = error }
                return .failed(failure, attempts: [], endsRun: false)
            case .queued, .running, .waiting:
                if dependencies.clock.now() >= pollUntil {
                    return .parked(wakeAt: dependencies.clock.now().addingTimeInterval(dependencies.inProcessWaitLimit.timeInterval))
                }
                do { try await dependencies.clock.sleep(for: delay) } catch { return .cancelled }
                delay = min(delay * 2, .milliseconds(500))
            }
        }
        return .cancelled
    }
}

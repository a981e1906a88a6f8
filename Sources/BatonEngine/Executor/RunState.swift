import BatonCore
import BatonStore
import Foundation
import JSONata
import OrderedCollections

/// What a run knows while it executes: the expression context with every finished step, the
/// statuses to restore the state machine from, and the first error.
struct RunState: Sendable {
    var context: ExpressionContext
    /// Step statuses read from the store, for the state machine.
    var statuses: [String: RunStateMachine.StepStatus] = [:]
    /// Wake times of waits that were parked before.
    var waits: [String: Date] = [:]
    /// Events delivered to parked `wait_for` steps (the step's stored output), by step.
    var deliveredEvents: [String: JSONValue] = [:]
    /// Finished for_each items by step and index, so a resumed step does not redo them.
    var items: [String: [Int: StepExecution]] = [:]
    /// Attempts already stored for each step or item, so a resumed step numbers its next attempt after them.
    var attemptCounts: [StepKey: Int] = [:]
    /// The error that failed the run, once it failed.
    var runError: JSONValue?

    init(run: Run, workflow: Workflow, environment: RunEnvironment, stored: [StepExecution], resumeURL: String? = nil) throws {
        let trigger = try run.triggerPayload.map { try JSONValue(parsing: $0) } ?? .object([:])
        let inputs = try run.inputs.map { try JSONValue(parsing: $0) } ?? .object([:])
        var runInfo: OrderedDictionary<String, JSONValue> = [
            "id": .string(run.id), "workflow": .string(workflow.name), "version": .number(Double(run.workflowVersionID)),
            "started_at": .string(ISO8601Time.format(run.startedAt ?? run.createdAt)), "trigger": .string(run.triggerKind.rawValue),
        ]
        if let resumeURL { runInfo["resume_url"] = .string(resumeURL) }
        context = ExpressionContext(trigger: trigger, inputs: inputs, run: runInfo,
                                    environment: try environment.applying(workflow.env))
        if let error = run.error { runError = try? JSONValue(parsing: error) }
        for execution in stored {
            let id = execution.key.stepID
            attemptCounts[execution.key] = execution.attemptCount
            if let item = execution.key.item {
                if execution.status == .succeeded { items[id, default: [:]][item] = execution }
                continue
            }
            switch execution.status {
            case .running:
                statuses[id] = .running
            case .waiting:
                statuses[id] = .pending
                waits[id] = execution.wakeAt
                if let output = execution.output { deliveredEvents[id] = try JSONValue(parsing: output) }
            case .succeeded, .failed, .skipped, .cancelled:
                let status = RunStateMachine.StepStatus(rawValue: execution.status.rawValue) ?? .failed
                statuses[id] = status
                let output = try execution.output.map { try JSONValue(parsing: $0) }
                let error = try execution.error.map { try JSONValue(parsing: $0) }
                record(id, status: status, output: output, error: error, attempts: execution.attemptCount)
                if status == .failed, runError == nil, let step = workflow.steps.first(where: { $0.id == id }),
                   step.onError == .fail {
                    var failure = error ?? .object([:])
                    if case .object(var object) = failure { object["step"] = .string(id); failure = .object(object) }
                    runError = failure
                    context.run["error"] = failure
                }
            }
        }
        if let runError { context.run["error"] = runError }
    }

    /// Makes a finished step visible to later expressions.
    mutating func record(_ id: String, status: RunStateMachine.StepStatus, output: JSONValue?, error: JSONValue?, attempts: Int) {
        context.record(id, ExpressionContext.StepView(status: status.rawValue, output: output, error: error, attempts: attempts))
    }

    /// Records the run's first failure as `run.error` (`{step, code, message, ...}`).
    mutating func failRun(_ failure: StepFailure, step: String?) {
        guard runError == nil else { return }
        var object: OrderedDictionary<String, JSONValue> = [:]
        if let step { object["step"] = .string(step) }
        if case .object(let details) = failure.json { for (key, value) in details { object[key] = value } }
        runError = .object(object)
        context.run["error"] = runError
    }

    /// The run's final status, output (the last main step that produced one) and error, as JSON text.
    func result(of outcome: RunStateMachine.Outcome, workflow: Workflow) -> (RunStatus, String?, String?) {
        let status: RunStatus
        switch outcome {
        case .succeeded: status = .succeeded
        case .failed: status = .failed
        case .cancelled: status = .cancelled
        }
        var output: String? = nil
        for step in workflow.steps.reversed() {
            if case .object(let view)? = context.steps[step.id], view["status"] == "succeeded" {
                output = (view["output"] ?? .null).serialized()
                break
            }
        }
        return (status, output, status == .succeeded ? nil : (runError ?? .object(["message": "cancelled"])).serialized())
    }
}

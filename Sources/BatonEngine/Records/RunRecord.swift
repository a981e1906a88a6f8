import BatonCore
import BatonStore
import Foundation
import JSONata
import OrderedCollections

/// A stored run with its steps and attempts as one JSON document: what `baton run --json`
/// prints and what the audit API will serve.
public enum RunRecord {
    /// The run, its steps (each with its attempts), in the order they were recorded.
    public static func json(run: Run, steps: [StepExecution], attempts: [Attempt]) -> JSONValue {
        var object: OrderedDictionary<String, JSONValue> = [
            "id": .string(run.id),
            "workflow": .string(run.workflowName),
            "workflow_version": .number(Double(run.workflowVersionID)),
            "trigger": .string(run.triggerKind.rawValue),
            "status": .string(run.status.rawValue),
            "created_at": .string(ISO8601Time.format(run.createdAt)),
        ]
        object["started_at"] = run.startedAt.map { .string(ISO8601Time.format($0)) } ?? .null
        object["finished_at"] = run.finishedAt.map { .string(ISO8601Time.format($0)) } ?? .null
        if let wake = run.wakeAt, run.status == .waiting { object["wake_at"] = .string(ISO8601Time.format(wake)) }
        object["trigger_payload"] = parsed(run.triggerPayload)
        object["inputs"] = parsed(run.inputs)
        object["output"] = parsed(run.output)
        object["error"] = parsed(run.error)
        if let key = run.idempotencyKey { object["idempotency_key"] = .string(key) }
        object["steps"] = .array(steps.map { step in
            var entry: OrderedDictionary<String, JSONValue> = ["id": .string(step.key.stepID)]
            if let item = step.key.item { entry["item"] = .number(Double(item)) }
            entry["status"] = .string(step.status.rawValue)
            entry["started_at"] = step.startedAt.map { .string(ISO8601Time.format($0)) } ?? .null
            entry["finished_at"] = step.finishedAt.map { .string(ISO8601Time.format($0)) } ?? .null
            if let start = step.startedAt, let end = step.finishedAt {
                entry["duration_ms"] = .number((end.timeIntervalSince(start) * 1000).rounded())
            }
            entry["attempt_count"] = .number(Double(step.attemptCount))
            entry["output"] = parsed(step.output)
            entry["error"] = parsed(step.error)
            entry["attempts"] = .array(attempts.filter { $0.key == step.key }.map(attemptJSON))
            return .object(entry)
        })
        return .object(object)
    }

    static func attemptJSON(_ attempt: Attempt) -> JSONValue {
        let value = attempt.attempt
        var entry: OrderedDictionary<String, JSONValue> = [
            "number": .number(Double(value.number)), "started_at": .string(ISO8601Time.format(value.startedAt)),
        ]
        if let duration = value.duration {
            entry["duration_ms"] = .number((Double(duration.components.seconds) * 1000
                                            + Double(duration.components.attoseconds) / 1e15).rounded())
        }
        entry["request"] = parsed(value.requestSummary)
        entry["response_status"] = value.responseStatus.map { .number(Double($0)) } ?? .null
        entry["response_headers"] = parsed(value.responseHeaders)
        entry["error"] = value.error.map(JSONValue.string) ?? .null
        return .object(entry)
    }

    /// Stored JSON text as a value (text that does not parse is kept as a string).
    static func parsed(_ text: String?) -> JSONValue {
        guard let text else { return .null }
        return (try? JSONValue(parsing: text)) ?? .string(text)
    }
}

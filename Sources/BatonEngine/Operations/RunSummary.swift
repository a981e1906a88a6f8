import BatonCore
import BatonStore
import Foundation
import JSONata
import OrderedCollections

/// A run as one entry of a list (`GET /api/runs`, `baton runs list --json`) or one line of a
/// JSON Lines export: the run's own fields, without its steps.
public enum RunSummary {
    /// The run's id, workflow, version, trigger, status, times, duration and error; with
    /// `details`, also its trigger payload, inputs and output.
    public static func json(_ run: Run, details: Bool = false) -> JSONValue {
        var object: OrderedDictionary<String, JSONValue> = [
            "id": .string(run.id),
            "workflow": .string(run.workflowName),
            "workflow_version": .number(Double(run.workflowVersionID)),
            "trigger": .string(run.triggerKind.rawValue),
            "status": .string(run.status.rawValue),
            "created_at": .string(RunTimestamp.format(run.createdAt)),
        ]
        object["started_at"] = time(run.startedAt)
        object["finished_at"] = time(run.finishedAt)
        object["duration_ms"] = durationMilliseconds(run).map { .number(Double($0)) } ?? .null
        object["error"] = parsed(run.error)
        if details {
            object["trigger_payload"] = parsed(run.triggerPayload)
            object["inputs"] = parsed(run.inputs)
            object["output"] = parsed(run.output)
        }
        return .object(object)
    }

    /// Milliseconds from the run's start to its end, once it finished.
    public static func durationMilliseconds(_ run: Run) -> Int64? {
        guard let start = run.startedAt, let end = run.finishedAt else { return nil }
        return StoreTime.milliseconds(end) - StoreTime.milliseconds(start)
    }

    /// The message of a stored error: its `message` member when it is a JSON object, else the text.
    public static func errorMessage(_ error: String?) -> String? {
        guard let error else { return nil }
        if case .object(let object)? = try? JSONValue(parsing: error), case .string(let message)? = object["message"] {
            return message
        }
        return error
    }

    static func time(_ date: Date?) -> JSONValue {
        date.map { .string(RunTimestamp.format($0)) } ?? .null
    }

    /// Stored JSON text as a value (text that does not parse is kept as a string, as in ``RunRecord``).
    static func parsed(_ text: String?) -> JSONValue {
        guard let text else { return .null }
        return (try? JSONValue(parsing: text)) ?? .string(text)
    }
}

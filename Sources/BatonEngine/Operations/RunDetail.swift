import BatonCore
import BatonStore
import Foundation
import JSONata
import OrderedCollections

/// A run with everything the audit shows about it (`GET /api/runs/{id}`, `baton runs show --json`):
/// ``RunRecord``'s document, plus each step's input, each attempt's response excerpt, the run's
/// duration, and the runs it was made from and made into.
public enum RunDetail {
    /// The whole record of one run; `steps` and `attempts` in the order they were recorded.
    public static func json(run: Run, steps: [StepExecution], attempts: [Attempt], lineage: RunLineage) -> JSONValue {
        guard case .object(var object) = RunRecord.json(run: run, steps: steps, attempts: attempts) else {
            return RunRecord.json(run: run, steps: steps, attempts: attempts)
        }
        insert(&object, "duration_ms", RunSummary.durationMilliseconds(run).map { .number(Double($0)) } ?? .null,
               before: "trigger_payload")
        object["origin"] = lineage.origin.map { .object(["kind": .string($0.kind.rawValue), "run_id": .string($0.originalRunID)]) } ?? .null
        object["derived"] = .array(lineage.derived.map { origin in
            .object(["kind": .string(origin.kind.rawValue), "run_id": .string(origin.runID),
                     "created_at": .string(ISO8601Time.format(origin.createdAt))])
        })
        if case .array(let entries)? = object["steps"], entries.count == steps.count {
            object["steps"] = .array(zip(entries, steps).map { entry, step in
                augment(entry, step: step, attempts: attempts.filter { $0.key == step.key })
            })
        }
        return .object(object)
    }

    /// Adds the step's input, and each attempt's response body excerpt, to RunRecord's entry.
    private static func augment(_ entry: JSONValue, step: StepExecution, attempts: [Attempt]) -> JSONValue {
        guard case .object(var object) = entry else { return entry }
        insert(&object, "input", RunSummary.parsed(step.input), before: "output")
        if case .array(let tries)? = object["attempts"], tries.count == attempts.count {
            object["attempts"] = .array(zip(tries, attempts).map { value, attempt in
                guard case .object(var fields) = value else { return value }
                insert(&fields, "response_body", attempt.attempt.responseBody.map(JSONValue.string) ?? .null, before: "error")
                return .object(fields)
            })
        }
        return .object(object)
    }

    /// Sets `key` just before `next` (or at the end when `next` is absent), keeping a readable order.
    private static func insert(_ object: inout OrderedDictionary<String, JSONValue>, _ key: String, _ value: JSONValue,
                               before next: String) {
        if object[key] != nil { object[key] = value; return }
        let index = object.index(forKey: next) ?? object.count
        object.updateValue(value, forKey: key, insertingAt: index)
    }
}

import BatonCore
import JSONata
import OrderedCollections

/// Checks a run's inputs against the workflow's `inputs:` and fills in defaults.
public enum RunInputs {
    /// Every problem with the given inputs, each naming the input and what to do.
    public struct Problems: Error, Sendable, CustomStringConvertible {
        /// One line per problem.
        public var messages: [String]
        /// The problems, one per line.
        public var description: String { messages.joined(separator: "\n") }
    }

    /// The inputs with defaults applied, or every problem at once.
    public static func resolve(_ given: JSONValue?, for workflow: Workflow) throws(Problems) -> JSONValue {
        var values = OrderedDictionary<String, JSONValue>()
        var problems: [String] = []
        let provided: OrderedDictionary<String, JSONValue>
        switch given {
        case nil, .null?: provided = [:]
        case .object(let object)?: provided = object
        case let other?:
            throw Problems(messages: ["inputs must be a JSON object of input names to values, not \(other.serialized())"])
        }
        let declared = Set(workflow.inputs.map(\.name))
        for name in provided.keys where !declared.contains(name) {
            let names = workflow.inputs.map(\.name)
            problems.append(names.isEmpty
                ? "unknown input '\(name)': workflow '\(workflow.name)' declares no inputs"
                : "unknown input '\(name)'; workflow '\(workflow.name)' declares: \(names.joined(separator: ", "))")
        }
        for input in workflow.inputs {
            if let value = provided[input.name] {
                if input.accepts(value) {
                    values[input.name] = value
                } else {
                    problems.append("input '\(input.name)' must be \(input.kind.rawValue == "array" || input.kind.rawValue == "object" ? "an" : "a") \(input.kind.rawValue), not \(value.serialized())")
                }
            } else if let fallback = input.defaultValue {
                values[input.name] = fallback
            } else if input.required {
                problems.append("input '\(input.name)' is required; pass it, e.g. --input '{\"\(input.name)\": ...}'")
            }
        }
        if !problems.isEmpty { throw Problems(messages: problems) }
        return .object(values)
    }
}

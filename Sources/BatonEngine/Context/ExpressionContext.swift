import BatonCore
import Foundation
import JSONata
import OrderedCollections

/// The one object every expression of a run is evaluated against: `trigger`, `steps`, `env`,
/// `secrets`, `run`, `inputs`, and `item` / `index` inside `for_each`.
public struct ExpressionContext: Sendable {
    /// What a finished step exposes as `steps.<id>`.
    public struct StepView: Sendable {
        /// `succeeded`, `failed`, `skipped`, ...
        public var status: String
        /// Its output, if it has one.
        public var output: JSONValue?
        /// Its error, if it failed.
        public var error: JSONValue?
        /// How many attempts it took.
        public var attempts: Int

        /// Creates a view of a finished step.
        public init(status: String, output: JSONValue?, error: JSONValue?, attempts: Int) {
            self.status = status
            self.output = output
            self.error = error
            self.attempts = attempts
        }

        var json: JSONValue {
            var object: OrderedDictionary<String, JSONValue> = ["status": .string(status), "attempts": .number(Double(attempts))]
            if let output { object["output"] = output }
            if let error { object["error"] = error }
            return .object(object)
        }
    }

    /// The trigger's payload.
    public var trigger: JSONValue
    /// The run's inputs, defaults applied.
    public var inputs: JSONValue
    /// `run.id`, `run.workflow`, `run.version`, `run.started_at`, and `run.error` once failing.
    public var run: OrderedDictionary<String, JSONValue>
    /// Environment and secrets.
    public var environment: RunEnvironment
    /// Finished steps.
    public var steps: OrderedDictionary<String, JSONValue> = [:]

    /// Creates a context.
    public init(trigger: JSONValue, inputs: JSONValue, run: OrderedDictionary<String, JSONValue>, environment: RunEnvironment) {
        self.trigger = trigger
        self.inputs = inputs
        self.run = run
        self.environment = environment
    }

    /// Records a finished step so that later steps can read it.
    public mutating func record(_ id: String, _ view: StepView) {
        steps[id] = view.json
    }

    /// The context object, with `item` and `index` when evaluating one for_each item.
    public func value(item: JSONValue? = nil, index: Int? = nil) -> JSONValue {
        var object: OrderedDictionary<String, JSONValue> = [
            "trigger": trigger, "steps": .object(steps), "env": .object(environment.env),
            "secrets": .object(environment.secrets), "run": .object(run), "inputs": inputs,
        ]
        if let item { object["item"] = item }
        if let index { object["index"] = .number(Double(index)) }
        return .object(object)
    }
}

/// The names an expression may start from, and the step it belongs to (for `steps.X` order).
struct ExpressionScope {
    /// Where the expression sits, for messages: "a webhook trigger", "step 'post'".
    var place: String
    /// The context names it may use: `trigger`, `steps`, `env`, ...
    var names: Set<String>
    /// The step whose expression this is, when it is a step's.
    var stepID: String?
    /// Whether the step is one of the `on_failure` steps.
    var inOnFailure = false

    /// Names every expression may use.
    static let common: Set<String> = ["env", "secrets", "run", "inputs"]

    /// The workflow level: `env:` entries and connections.
    static let workflow = ExpressionScope(place: "the workflow's settings", names: ["env", "secrets"])

    /// A trigger's own expressions (idempotency key, poll request).
    static func trigger(_ kind: String, extra: Set<String> = []) -> ExpressionScope {
        ExpressionScope(place: "a \(kind) trigger", names: common.union(["trigger"]).union(extra))
    }

    /// A step's expressions; `item` and `index` only inside `for_each` steps.
    static func step(_ id: String, iterating: Bool, onFailure: Bool, extra: Set<String> = []) -> ExpressionScope {
        var names = common.union(["trigger", "steps"]).union(extra)
        if iterating { names.formUnion(["item", "index"]) }
        return ExpressionScope(place: "step '\(id)'", names: names, stepID: id, inOnFailure: onFailure)
    }

    /// This scope with more names (a poll's `response`, a wait_for's `event`).
    func adding(_ extra: Set<String>) -> ExpressionScope {
        var copy = self
        copy.names.formUnion(extra)
        return copy
    }
}

/// A compiled expression waiting for its references to be checked.
struct ExpressionUse {
    var expression: TemplateExpression
    var scope: ExpressionScope
    /// The scalar it was written in, and the expression's offset in that scalar's value, to
    /// point at a reference precisely.
    var node: SourceNode
    var value: String
    var offset: Int
}

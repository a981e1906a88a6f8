import JSONata

/// A checked workflow: every key known, every value typed, every expression compiled, every
/// step reference resolved. The executor only ever sees this, never the raw file.
public struct Workflow: Sendable {
    /// The workflow's name (defaults to the file name without its extension).
    public var name: String
    /// What the workflow does, for people.
    public var description: String?
    /// The file it was loaded from, as named when loading.
    public var file: String
    /// The exact text of the file, kept so that every run can point at the version that ran.
    public var sourceText: String
    /// Declared inputs, in file order.
    public var inputs: [WorkflowInput]
    /// The workflow's own environment, over the process environment.
    public var env: [EnvEntry]
    /// Named API connections that steps share (base URL, auth, headers, rate limit).
    public var connections: [Connection]
    /// What starts a run.
    public var triggers: [Trigger]
    /// The most runs of this workflow at once; nil means no limit.
    public var concurrency: Int?
    /// What a trigger does while runs are already going.
    public var overlap: OverlapPolicy
    /// A limit on the whole run's duration.
    public var timeout: Duration?
    /// The steps, in file order.
    public var steps: [Step]
    /// Steps that run when the run fails, with `run.error` in context.
    public var onFailure: [Step]

    /// The step with `id`, among the main and `on_failure` steps.
    public func step(_ id: String) -> Step? {
        steps.first { $0.id == id } ?? onFailure.first { $0.id == id }
    }

    /// The connection called `name`.
    public func connection(_ name: String) -> Connection? {
        connections.first { $0.name == name }
    }
}

/// What a trigger does when it fires while earlier runs of the workflow are still going.
public enum OverlapPolicy: String, Sendable, Hashable, CaseIterable {
    /// Start another run anyway (up to `concurrency`).
    case allow
    /// Drop this firing.
    case skip
    /// Start it once the earlier runs finish.
    case queue
}

/// One `env:` entry of a workflow.
public struct EnvEntry: Sendable {
    /// The variable's name.
    public var name: String
    /// Its value; may use `${{ env.X }}`.
    public var value: Template
}

/// One declared input of a workflow.
public struct WorkflowInput: Sendable {
    /// The JSON types an input may have.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A string.
        case string
        /// A number.
        case number
        /// `true` or `false`.
        case boolean
        /// A JSON object.
        case object
        /// A JSON array.
        case array
    }

    /// The input's name, as used in `inputs.NAME`.
    public var name: String
    /// Its type.
    public var kind: Kind
    /// Whether a run must be given it.
    public var required: Bool
    /// The value used when a run is not given it.
    public var defaultValue: JSONValue?
    /// What it is for, for people.
    public var description: String?
    /// Where it is declared.
    public var location: SourceLocation

    /// Whether `value` has this input's type.
    public func accepts(_ value: JSONValue) -> Bool {
        switch (kind, value) {
        case (.string, .string), (.number, .number), (.boolean, .bool), (.object, .object), (.array, .array): return true
        default: return false
        }
    }
}

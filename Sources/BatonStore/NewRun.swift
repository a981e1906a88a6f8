/// What the executor knows when it creates a run.
public struct NewRun: Sendable, Hashable {
    /// The run's id; `nil` lets the store generate a sortable one with ``RunID/make(now:)``.
    public var id: String?
    /// The workflow version to run (from ``RunStore/saveWorkflowVersion(name:hash:source:now:)``).
    public var workflowVersionID: Int64
    /// What started the run.
    public var triggerKind: TriggerKind
    /// The trigger's data as JSON text.
    public var triggerPayload: String?
    /// The run's inputs as JSON text.
    public var inputs: String?
    /// Deduplicates deliveries: unique per workflow name across all its versions.
    public var idempotencyKey: String?

    /// Describes a run to create.
    public init(
        id: String? = nil, workflowVersionID: Int64, triggerKind: TriggerKind,
        triggerPayload: String? = nil, inputs: String? = nil, idempotencyKey: String? = nil
    ) {
        self.id = id
        self.workflowVersionID = workflowVersionID
        self.triggerKind = triggerKind
        self.triggerPayload = triggerPayload
        self.inputs = inputs
        self.idempotencyKey = idempotencyKey
    }
}

import Foundation

/// A run of a workflow version, as stored.
///
/// Payload fields (`triggerPayload`, `inputs`, `output`) hold JSON text; the executor
/// serialises its values and redacts secrets before anything reaches the store.
public struct Run: Sendable, Hashable, Codable, Identifiable {
    /// Sortable unique id (26-character ULID-style text unless the creator chose one).
    public var id: String
    /// The exact workflow version this run executes.
    public var workflowVersionID: Int64
    /// The workflow's name, copied from its version for fast filtering.
    public var workflowName: String
    /// What started the run.
    public var triggerKind: TriggerKind
    /// The trigger's data as JSON text (webhook body and headers, schedule time, poll item).
    public var triggerPayload: String?
    /// The run's inputs as JSON text.
    public var inputs: String?
    /// Caller-chosen key, unique per workflow name; a second create with it returns this run.
    public var idempotencyKey: String?
    /// Current status.
    public var status: RunStatus
    /// The run's result as JSON text, once it succeeded.
    public var output: String?
    /// What went wrong, once it failed (or why it was cancelled).
    public var error: String?
    /// When the run was created.
    public var createdAt: Date
    /// When a worker first claimed the run.
    public var startedAt: Date?
    /// When the run reached a terminal status.
    public var finishedAt: Date?
    /// When the run last changed: created, claimed, checkpointed, woken by an event or finished (heartbeats aside).
    public var updatedAt: Date
    /// While `waiting`: when the run's durable timer is due.
    public var wakeAt: Date?
    /// The worker holding the run's lease, if any.
    public var leaseOwner: String?
    /// When the current lease expires unless renewed by a heartbeat.
    public var leaseExpiresAt: Date?
    /// When the lease holder last claimed or renewed the lease.
    public var heartbeatAt: Date?
    /// How many times a worker claimed the run (more than 1 after a wait or a takeover).
    public var claimCount: Int

    /// Creates a value; stores create these, callers rarely need to.
    public init(
        id: String, workflowVersionID: Int64, workflowName: String, triggerKind: TriggerKind,
        triggerPayload: String?, inputs: String?, idempotencyKey: String?, status: RunStatus,
        output: String?, error: String?, createdAt: Date, startedAt: Date?, finishedAt: Date?,
        updatedAt: Date, wakeAt: Date?, leaseOwner: String?, leaseExpiresAt: Date?,
        heartbeatAt: Date?, claimCount: Int
    ) {
        self.id = id
        self.workflowVersionID = workflowVersionID
        self.workflowName = workflowName
        self.triggerKind = triggerKind
        self.triggerPayload = triggerPayload
        self.inputs = inputs
        self.idempotencyKey = idempotencyKey
        self.status = status
        self.output = output
        self.error = error
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.updatedAt = updatedAt
        self.wakeAt = wakeAt
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
        self.heartbeatAt = heartbeatAt
        self.claimCount = claimCount
    }
}

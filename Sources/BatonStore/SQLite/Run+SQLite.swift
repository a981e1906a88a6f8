import GRDB

extension Run: FetchableRecord {
    /// The `runs` table's columns.
    enum Columns: String, ColumnExpression {
        case id, status, output, error
        case workflowVersionID = "workflow_version_id"
        case workflowName = "workflow_name"
        case triggerKind = "trigger_kind"
        case triggerPayload = "trigger_payload"
        case inputs
        case idempotencyKey = "idempotency_key"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case updatedAt = "updated_at"
        case wakeAt = "wake_at"
        case leaseOwner = "lease_owner"
        case leaseExpiresAt = "lease_expires_at"
        case heartbeatAt = "heartbeat_at"
        case claimCount = "claim_count"
    }

    /// Decodes a full `runs` row (`SELECT *` or `RETURNING *`).
    public init(row: Row) throws {
        self.init(
            id: row[Columns.id],
            workflowVersionID: row[Columns.workflowVersionID],
            workflowName: row[Columns.workflowName],
            triggerKind: try SQLiteValue.decode(TriggerKind.self, row[Columns.triggerKind]),
            triggerPayload: row[Columns.triggerPayload],
            inputs: row[Columns.inputs],
            idempotencyKey: row[Columns.idempotencyKey],
            status: try SQLiteValue.decode(RunStatus.self, row[Columns.status]),
            output: row[Columns.output],
            error: row[Columns.error],
            createdAt: SQLiteValue.date(row[Columns.createdAt]),
            startedAt: SQLiteValue.date(row[Columns.startedAt]),
            finishedAt: SQLiteValue.date(row[Columns.finishedAt]),
            updatedAt: SQLiteValue.date(row[Columns.updatedAt]),
            wakeAt: SQLiteValue.date(row[Columns.wakeAt]),
            leaseOwner: row[Columns.leaseOwner],
            leaseExpiresAt: SQLiteValue.date(row[Columns.leaseExpiresAt]),
            heartbeatAt: SQLiteValue.date(row[Columns.heartbeatAt]),
            claimCount: row[Columns.claimCount]
        )
    }
}

import GRDB

/// The SQLite schema, as `DatabaseMigrator` migrations. Never edit a shipped migration:
/// add a new one.
///
/// Times are INTEGER Unix milliseconds (see ``StoreTime``); payloads are TEXT (JSON).
/// `item_index` is -1 for a step without `for_each`, so that it can be part of a unique key.
enum SQLiteSchema {
    /// The migrator that brings any earlier database to the current schema.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE workflow_versions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    hash TEXT NOT NULL,
                    source TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    UNIQUE (name, hash)
                );

                CREATE TABLE runs (
                    id TEXT PRIMARY KEY NOT NULL,
                    workflow_version_id INTEGER NOT NULL REFERENCES workflow_versions(id),
                    workflow_name TEXT NOT NULL,
                    trigger_kind TEXT NOT NULL,
                    trigger_payload TEXT,
                    inputs TEXT,
                    idempotency_key TEXT,
                    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled')),
                    output TEXT,
                    error TEXT,
                    created_at INTEGER NOT NULL,
                    started_at INTEGER,
                    finished_at INTEGER,
                    updated_at INTEGER NOT NULL,
                    wake_at INTEGER,
                    lease_owner TEXT,
                    lease_expires_at INTEGER,
                    heartbeat_at INTEGER,
                    claim_count INTEGER NOT NULL DEFAULT 0
                );
                -- One run per delivery: the key is unique per workflow name, across versions.
                CREATE UNIQUE INDEX runs_idempotency ON runs (workflow_name, idempotency_key)
                    WHERE idempotency_key IS NOT NULL;
                -- Audit: newest first overall, per workflow, per status (cursor on created_at, id).
                CREATE INDEX runs_by_time ON runs (created_at, id);
                CREATE INDEX runs_by_workflow_time ON runs (workflow_name, created_at, id);
                CREATE INDEX runs_by_status_time ON runs (status, created_at, id);
                CREATE INDEX runs_by_version ON runs (workflow_version_id);
                -- Claiming: small partial indexes over the only rows a claim looks at.
                CREATE INDEX runs_expired_leases ON runs (lease_expires_at) WHERE status = 'running';
                CREATE INDEX runs_due_timers ON runs (wake_at) WHERE status = 'waiting';

                CREATE TABLE step_executions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    step_id TEXT NOT NULL,
                    item_index INTEGER NOT NULL DEFAULT -1,
                    status TEXT NOT NULL CHECK (status IN ('running', 'waiting', 'succeeded', 'failed', 'skipped', 'cancelled')),
                    input TEXT,
                    output TEXT,
                    error TEXT,
                    started_at INTEGER,
                    finished_at INTEGER,
                    wake_at INTEGER,
                    attempt_count INTEGER NOT NULL DEFAULT 0,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (run_id, step_id, item_index)
                );

                CREATE TABLE attempts (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    step_id TEXT NOT NULL,
                    item_index INTEGER NOT NULL DEFAULT -1,
                    number INTEGER NOT NULL,
                    started_at INTEGER NOT NULL,
                    duration_us INTEGER,
                    request_summary TEXT,
                    response_status INTEGER,
                    response_headers TEXT,
                    response_body TEXT,
                    error TEXT,
                    UNIQUE (run_id, step_id, item_index, number)
                );
                """)
        }
        migrator.registerMigration("v2", migrate: v2)
        migrator.registerMigration("v3-secrets", migrate: v3Secrets)
        migrator.registerMigration("v4-audit", migrate: v4Audit)
        migrator.registerMigration("v5-connections", migrate: v5Connections)
        return migrator
    }
}

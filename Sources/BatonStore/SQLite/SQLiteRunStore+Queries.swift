import Foundation
import GRDB

extension SQLiteRunStore {
    /// The run with this id, or `nil`.
    public func run(id: String) async throws -> Run? {
        try await read { db in try db.one(Run.self, "SELECT * FROM runs WHERE id = ?", [id]) }
    }

    /// The run's step executions in the order they were first recorded.
    public func steps(runID: String) async throws -> [StepExecution] {
        try await read { db in
            try StepExecution.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM step_executions WHERE run_id = ? ORDER BY id"),
                arguments: [runID])
        }
    }

    /// The run's attempts in the order they were first recorded.
    public func attempts(runID: String) async throws -> [Attempt] {
        try await read { db in
            try Attempt.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM attempts WHERE run_id = ? ORDER BY id"),
                arguments: [runID])
        }
    }

    /// The earliest wake time of any waiting run.
    public func nextWakeTime() async throws -> Date? {
        try await read { db in
            let millis = try Int64.fetchOne(db, sql: Self.nextWakeQuery)
            return SQLiteValue.date(millis)
        }
    }

    /// The earliest timer among waiting runs.
    static let nextWakeQuery = "SELECT MIN(wake_at) FROM runs INDEXED BY runs_due_timers WHERE status = 'waiting'"

    /// Runs matching `filter`, newest first, at most `limit`, starting after `cursor`.
    public func listRuns(filter: RunFilter, limit: Int, after cursor: RunCursor?) async throws -> RunPage {
        guard limit > 0 else { throw StoreError.invalidArgument("listRuns needs a limit of 1 or more, not \(limit)") }
        let (sql, arguments) = Self.listQuery(filter: filter, limit: limit + 1, after: cursor)
        return try await read { db in
            var runs = try Run.fetchAll(db, sql: sql, arguments: arguments)
            guard runs.count > limit else { return RunPage(runs: runs, next: nil) }
            runs.removeLast(runs.count - limit)
            return RunPage(runs: runs, next: RunCursor(after: runs[runs.count - 1]))
        }
    }

    /// How many runs match `filter`.
    public func countRuns(filter: RunFilter) async throws -> Int {
        let (conditions, arguments) = Self.whereClause(filter)
        let sql = "SELECT COUNT(*) FROM runs \(Self.whereSQL(conditions))"
        return try await read { db in try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0 }
    }

    /// The page query: newest first, keyset-paginated on (created_at, id).
    static func listQuery(filter: RunFilter, limit: Int, after cursor: RunCursor?) -> (String, StatementArguments) {
        var (conditions, arguments) = whereClause(filter)
        if let cursor {
            conditions.append("(created_at, id) < (?, ?)")
            arguments += [cursor.createdAtMilliseconds, cursor.runID]
        }
        arguments += [limit]
        return ("SELECT * FROM runs \(whereSQL(conditions)) ORDER BY created_at DESC, id DESC LIMIT ?", arguments)
    }

    /// SQL conditions and their arguments for `filter`.
    static func whereClause(_ filter: RunFilter) -> (conditions: [String], arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let name = filter.workflowName {
            conditions.append("workflow_name = ?")
            arguments += [name]
        }
        if let statuses = filter.statuses {
            // Sorted so the same filter always yields the same SQL (and hits the statement cache).
            let sorted = statuses.map(\.rawValue).sorted()
            conditions.append(sorted.isEmpty ? "0" : "status IN (\(sorted.map { _ in "?" }.joined(separator: ", ")))")
            arguments += StatementArguments(sorted)
        }
        if let kind = filter.triggerKind {
            conditions.append("trigger_kind = ?")
            arguments += [kind.rawValue]
        }
        if let since = filter.since {
            conditions.append("created_at >= ?")
            arguments += [SQLiteValue.millis(since)]
        }
        if let until = filter.until {
            conditions.append("created_at < ?")
            arguments += [SQLiteValue.millis(until)]
        }
        if let text = filter.text, !text.isEmpty {
            // Both columns hold JSON text: the text is found as typed (a fragment of JSON, like
            // `"n":7`) or as it is written inside a JSON string (a quote or backslash escaped).
            // LIKE ignores the case of ASCII letters; the escape keeps % and _ literal.
            var patterns = ["%" + likeEscaped(text) + "%"]
            let escaped = "%" + likeEscaped(jsonEscaped(text)) + "%"
            if escaped != patterns[0] { patterns.append(escaped) }
            let like = #"trigger_payload LIKE ? ESCAPE '\' OR error LIKE ? ESCAPE '\'"#
            conditions.append("(" + patterns.map { _ in like }.joined(separator: " OR ") + ")")
            for pattern in patterns { arguments += [pattern, pattern] }
        }
        return (conditions, arguments)
    }

    /// `text` as it appears inside a JSON string.
    static func jsonEscaped(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case "\r": escaped += "\\r"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// `text` with LIKE's wildcards (and the escape character itself) escaped by a backslash.
    static func likeEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    private static func whereSQL(_ conditions: [String]) -> String {
        conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    }
}

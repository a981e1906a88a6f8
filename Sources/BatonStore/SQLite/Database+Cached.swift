import GRDB

extension Database {
    /// Executes `sql` through the statement cache (the store's statements run thousands of times a second).
    func run(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    /// Executes `sql` through the statement cache and returns how many rows it changed.
    func change(_ sql: String, _ arguments: StatementArguments) throws -> Int {
        try cachedStatement(sql: sql).execute(arguments: arguments)
        return changesCount
    }

    /// The first row of `sql`, decoded, through the statement cache.
    func one<T: FetchableRecord>(_ type: T.Type, _ sql: String, _ arguments: StatementArguments) throws -> T? {
        try T.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }
}

import ArgumentParser
import BatonStore

/// `--db` and `--synchronous`, shared by the commands that open the run database.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "The SQLite database file.")
    var db = "baton.sqlite"

    @Option(help: "How each commit reaches the disk: full (default: durable across power loss), extra, normal (durable across a process crash), or off (tests only).")
    var synchronous = "full"

    func validate() throws {
        guard SQLiteRunStore.Synchronous(rawValue: synchronous.uppercased()) != nil else {
            throw ValidationError("--synchronous must be full, extra, normal or off, not '\(synchronous)'")
        }
    }

    /// Opens the store, or prints why it cannot and exits 1.
    func openStore() throws -> SQLiteRunStore {
        let level = SQLiteRunStore.Synchronous(rawValue: synchronous.uppercased()) ?? .full
        do {
            return try SQLiteRunStore(path: db, configuration: .init(synchronous: level))
        } catch {
            printError("error: cannot open the database \(db): \(error)")
            throw ExitCode(1)
        }
    }
}

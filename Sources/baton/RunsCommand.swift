import ArgumentParser
import BatonStore
import Foundation

/// `baton runs`: look into past runs and act on them, in a database file or on a server.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, show, retry, replay, cancel, export and prune runs.",
        discussion: """
            Each subcommand reads the database file (--db) directly, or asks a running 'baton serve' \
            (--server URL, with its API token in BATON_API_TOKEN). Exit codes: 0 done, 1 the work \
            failed or the run does not exist, 2 a usage error.
            """,
        subcommands: [RunsListCommand.self, RunsShowCommand.self, RunsRetryCommand.self, RunsReplayCommand.self,
                      RunsCancelCommand.self, RunsExportCommand.self, RunsPruneCommand.self]
    )
}

/// Where `baton runs` finds the runs: `--db FILE` or `--server URL`.
struct RunsTarget: ParsableArguments {
    @OptionGroup var database: DatabaseOptions

    @Option(help: "Ask a running 'baton serve' at this URL instead of reading --db (the token comes from BATON_API_TOKEN).")
    var server: String?

    /// The runs, read locally or through the server's API; a retry or replay executed here finds
    /// sub-workflows in `workflows`.
    func source(workflows: String = "Workflows") throws -> any RunsSource {
        if let server {
            guard let token = ProcessInfo.processInfo.environment["BATON_API_TOKEN"], !token.isEmpty else {
                printError("error: --server needs the server's API token in BATON_API_TOKEN (baton serve printed it when it created it)")
                throw ExitCode(2)
            }
            return RemoteRunsSource(server: server, token: token)
        }
        // Reading must not create a database: a mistyped path would show an empty history.
        guard FileManager.default.fileExists(atPath: database.db) else {
            printError("error: there is no database at \(database.db); pass --db FILE (the file 'baton run' or 'baton serve' used) or --server URL")
            throw ExitCode(1)
        }
        return LocalRunsSource(store: try database.openStore(), database: database, workflows: workflows)
    }
}

/// A refusal already explained: printed as `error:` lines, then the process exits with `exitCode`.
struct RunsFailure: Error {
    /// 1 when the work failed or the run does not exist, 2 for a usage error.
    var exitCode: Int32
    /// One line each.
    var messages: [String]

    init(exitCode: Int32 = 1, _ messages: [String]) {
        self.exitCode = exitCode
        self.messages = messages
    }

    init(exitCode: Int32 = 1, _ message: String) {
        self.init(exitCode: exitCode, [message])
    }
}

extension RunsFailure {
    /// Runs `body`; a ``RunsFailure`` is printed and becomes its exit code.
    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as RunsFailure {
            for message in failure.messages { printError("error: \(message)") }
            throw ExitCode(failure.exitCode)
        }
    }
}

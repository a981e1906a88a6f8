import ArgumentParser
import Foundation

/// The `baton` command: the root of every subcommand.
@main
struct BatonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton",
        abstract: "Baton runs workflows: YAML files of triggers and steps that call third-party APIs.",
        version: "0.1.0",
        subcommands: [ServeCommand.self, RunCommand.self, RunsCommand.self, WorkerCommand.self, SecretsCommand.self, ConnectCommand.self, ConnectionsCommand.self, ValidateCommand.self, CronCommand.self, EvalCommand.self, SchemaCommand.self]
    )

    /// Runs the command line with Baton's exit codes: 0 success, 1 the work failed, 2 a usage error.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                // ArgumentParser uses 64 (EX_USAGE); our contract says 2.
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Self.exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// A failure whose message has already been printed: exit 1 without printing more.
struct WorkFailed: Error {}

extension WorkFailed: CustomStringConvertible {
    var description: String { "" }
}

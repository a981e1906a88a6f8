import ArgumentParser
import BatonEngine
import Foundation
import JSONata

/// `baton runs retry ID`: continues a failed run from its failed steps, in a new run.
struct RunsRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Continue a failed (or cancelled) run from the steps that did not succeed, in a new run.",
        discussion: """
            The new run (trigger 'retry') keeps the outputs of the steps that succeeded and runs the others; \
            the failed run stays as it was. With --db the retry runs here, like 'baton run'; with --server \
            the server runs it and this command follows it. Exits 0 when the retry succeeded, 1 otherwise.
            """
    )

    @OptionGroup var target: RunsTarget

    @Argument(help: "The failed run's id.")
    var id: String

    @OptionGroup var follow: RunsFollowOptions

    func run() async throws {
        try await RunsFailure.reporting {
            let source = try target.source(workflows: follow.workflows)
            let (runID, created) = try await source.retry(id)
            if !follow.json {
                printError(created ? "run \(runID) retries run \(id)" : "run \(id) was already retried as run \(runID)")
            }
            try await follow.finish(runID, source: source)
        }
    }
}

/// `baton runs replay ID`: runs again from the start with the same trigger payload and inputs.
struct RunsReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run a run again from the start, with the same trigger payload and inputs.",
        discussion: """
            The replay runs the current version of the workflow (with --db, the latest version saved in the \
            database), or the exact version the run executed with --original. Exits 0 when the replay \
            succeeded, 1 otherwise.
            """
    )

    @OptionGroup var target: RunsTarget

    @Argument(help: "The run's id.")
    var id: String

    @Flag(help: "Run the workflow version the original run executed, not the current one.")
    var original = false

    @OptionGroup var follow: RunsFollowOptions

    func run() async throws {
        try await RunsFailure.reporting {
            let source = try target.source(workflows: follow.workflows)
            let runID = try await source.replay(id, version: original ? .original : .current)
            if !follow.json { printError("run \(runID) replays run \(id)") }
            try await follow.finish(runID, source: source)
        }
    }
}

/// `baton runs cancel ID`.
struct RunsCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a queued, running or waiting run.",
        discussion: "A worker executing the run stops at its next checkpoint. Exits 1 when the run had already finished."
    )

    @OptionGroup var target: RunsTarget

    @Argument(help: "The run's id.")
    var id: String

    @Flag(help: "Print the cancelled run as JSON.")
    var json = false

    func run() async throws {
        try await RunsFailure.reporting {
            let run = try await target.source().cancel(id)
            print(json ? run.serialized(pretty: true) : "run \(id) \(run["status"]?.stringValue ?? "cancelled")")
        }
    }
}

/// How `retry` and `replay` end: follow the new run to its end, or only print its id.
struct RunsFollowOptions: ParsableArguments {
    @Flag(help: "Print the new run's id and exit at once; a worker or the server runs it.")
    var detach = false

    @Flag(help: "Print the new run's whole record as JSON when it ends.")
    var json = false

    @Option(help: "With --db: where sub-workflows named by 'workflow:' steps are found while the run executes here.")
    var workflows = "Workflows"

    /// Prints the run's id (`--detach`), or waits for it and prints its output like `baton run`;
    /// a run that did not succeed exits 1.
    func finish(_ runID: String, source: any RunsSource) async throws {
        if detach {
            print(runID)
            return
        }
        let run = try await source.follow(runID, progress: !json)
        let status = run["status"]?.stringValue ?? ""
        if json {
            print(run.serialized(pretty: true))
        } else {
            if status == "succeeded", let output = run["output"] { print(output.serialized()) }
            let message = status == "succeeded" ? "" : ": " + RunsTimeline.errorLine(run["error"], width: nil)
            printError("run \(runID) \(status)\(message)")
        }
        if status != "succeeded" { throw ExitCode(1) }
    }
}

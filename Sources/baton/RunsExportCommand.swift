import ArgumentParser
import BatonEngine
import Foundation

/// `baton runs export`: every matching run, one per line, to standard output.
struct RunsExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write runs as JSON Lines or CSV to standard output, newest first.",
        discussion: "Takes the filters of 'baton runs list'; without --limit every matching run is written, as it is read."
    )

    @OptionGroup var target: RunsTarget

    @Option(help: "jsonl (one JSON object per run) or csv.")
    var format = "jsonl"

    @Option(help: "Only runs of this workflow.")
    var workflow: String?

    @Option(help: "Only runs in these statuses, separated by commas.")
    var status: String?

    @Option(help: "Only runs started by this trigger: webhook, schedule, poll, manual or retry.")
    var trigger: String?

    @Option(help: "Only runs created since this time, e.g. 24h or 2026-03-29T09:00:00Z.")
    var since: String?

    @Option(help: "Only runs created before this time.")
    var until: String?

    @Option(help: "Only runs whose trigger payload or error contains this text.")
    var search: String?

    @Option(help: "The most runs to write.")
    var limit: Int?

    func validate() throws {
        guard RunExport.Format(rawValue: format) != nil else { throw ValidationError("--format must be jsonl or csv, not '\(format)'") }
        if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more") }
    }

    func run() async throws {
        try await RunsFailure.reporting {
            var parameters: [(String, String)] = []
            for (name, value) in [("workflow", workflow), ("status", status), ("trigger", trigger), ("since", since),
                                  ("until", until), ("q", search), ("limit", limit.map(String.init))] {
                if let value { parameters.append((name, value)) }
            }
            let chosen = RunExport.Format(rawValue: format) ?? .jsonl
            _ = try await target.source().export(parameters, format: chosen, to: FileHandle.standardOutput)
        }
    }
}

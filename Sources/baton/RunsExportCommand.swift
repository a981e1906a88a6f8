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

    @OptionGroup var filters: RunFilterOptions

    @Option(help: "The most runs to write.")
    var limit: Int?

    func validate() throws {
        guard RunExport.Format(rawValue: format) != nil else { throw ValidationError("--format must be jsonl or csv, not '\(format)'") }
        if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more") }
    }

    func run() async throws {
        try await RunsFailure.reporting {
            var parameters: [(String, String)] = []
            parameters += filters.parameters
            if let value = limit.map(String.init) { parameters.append(("limit", value)) }
            let chosen = RunExport.Format(rawValue: format) ?? .jsonl
            _ = try await target.source().export(parameters, format: chosen, to: FileHandle.standardOutput)
        }
    }
}

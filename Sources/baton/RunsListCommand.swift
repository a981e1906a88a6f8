import ArgumentParser
import BatonEngine
import Foundation
import JSONata

/// `baton runs list`: runs newest first, filtered, as a table or JSON.
struct RunsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List runs, newest first.",
        discussion: """
            Times are ISO 8601 (2026-03-29T09:00:00Z) or a duration back from now (30m, 24h, 7d). When \
            more runs match than --limit, the last line says how to get the next page.
            """
    )

    @OptionGroup var target: RunsTarget

    @OptionGroup var filters: RunFilterOptions

    @Option(help: "The most runs to show (1-500).")
    var limit: Int = 50

    @Option(help: "Start after this run: the cursor the previous page printed.")
    var cursor: String?

    @Flag(help: "Print the page as JSON: {runs, next_cursor}.")
    var json = false

    func run() async throws {
        try await RunsFailure.reporting {
            let source = try target.source()
            var parameters: [(String, String)] = [("limit", String(limit))]
            parameters += filters.parameters
            if let value = cursor { parameters.append(("cursor", value)) }
            let page = try await source.list(parameters)
            if json {
                print(page.serialized(pretty: true))
                return
            }
            let runs = page["runs"]?.elements ?? []
            if runs.isEmpty {
                printError("no runs match")
            } else {
                print(Self.table(runs), terminator: "")
            }
            if let next = page["next_cursor"]?.stringValue {
                printError("more runs: add --cursor \(next)")
            }
        }
    }

    /// The runs as aligned columns with a header.
    static func table(_ runs: [JSONValue]) -> String {
        let header = ["ID", "WORKFLOW", "STATUS", "TRIGGER", "CREATED", "DURATION", "ERROR"]
        let rows = runs.map { run -> [String] in
            [
                run["id"]?.stringValue ?? "", run["workflow"]?.stringValue ?? "", run["status"]?.stringValue ?? "",
                run["trigger"]?.stringValue ?? "", run["created_at"]?.stringValue ?? "",
                run["duration_ms"]?.numberValue.map { RunsTimeline.duration(milliseconds: $0) } ?? "-",
                RunsTimeline.errorLine(run["error"], width: 80),
            ]
        }
        return RunsTimeline.columns([header] + rows)
    }
}

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

    @Option(help: "Only runs of this workflow.")
    var workflow: String?

    @Option(help: "Only runs in these statuses, separated by commas: queued, running, waiting, succeeded, failed, cancelled.")
    var status: String?

    @Option(help: "Only runs started by this trigger: webhook, schedule, poll, manual or retry.")
    var trigger: String?

    @Option(help: "Only runs created since this time, e.g. 24h or 2026-03-29T09:00:00Z.")
    var since: String?

    @Option(help: "Only runs created before this time.")
    var until: String?

    @Option(help: "Only runs whose trigger payload or error contains this text (ASCII letters in any case).")
    var search: String?

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
            for (name, value) in [("workflow", workflow), ("status", status), ("trigger", trigger), ("since", since),
                                  ("until", until), ("q", search), ("cursor", cursor)] {
                if let value { parameters.append((name, value)) }
            }
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

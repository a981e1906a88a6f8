import ArgumentParser
import BatonCore
import BatonEngine
import BatonStore
import Foundation
import JSONata

/// `baton connections list`: each connection, its kind, whether it holds a valid token and until when.
struct ConnectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connections",
        abstract: "Show connections and the state of their signed-in tokens (never the tokens).",
        subcommands: [List.self]
    )

    /// `baton connections list [--json]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the connections the workflows declare or the database holds: kind, state, expiry.",
            discussion: """
                States: valid (a token that has not expired), expired (refreshed on next use), needs_attention \
                (a refresh failed for good: run 'baton connect NAME'), not_connected (no token yet), not_stored \
                (static credentials or client credentials, which nothing keeps).
                """
        )

        @Option(help: "Where the workflows that declare connections are.")
        var workflows = "Workflows"

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print a JSON array of {name, kind, state, valid, expires_at, refreshed_at, attention, workflows}.")
        var json = false

        func run() async throws {
            let definitions = ConnectionDefinitions.load(directory: workflows, files: [])
            let store = try database.openStore()
            let records = try await store.connectionStates()
            let statuses = ConnectionStatus.list(workflows: definitions.workflows.map(\.workflow), records: records, now: Date())
            if json {
                print(JSONValue.array(statuses.map(\.jsonValue)).serialized(pretty: true))
                return
            }
            if statuses.isEmpty {
                printError("no connections declared in \(workflows)/ or stored in \(database.db)")
                return
            }
            let rows = [["NAME", "KIND", "STATE", "EXPIRES"]] + statuses.map { status in
                [status.name, status.kind, status.state.rawValue, status.expiresAt.map { ISO8601Time.format($0) } ?? "-"]
            }
            let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                let line = row.enumerated().map { index, cell in
                    index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                }.joined(separator: "  ")
                print(line)
            }
            for status in statuses where status.state == .needsAttention {
                printError("connection '\(status.name)' needs attention: \(status.attention ?? "its refresh failed"); run 'baton connect \(status.name)'")
            }
        }
    }
}

import ArgumentParser
import BatonCore
import Foundation
import JSONata

/// `baton runs prune --older-than 30d`: deletes old finished runs and shrinks the database.
struct RunsPruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete the runs that finished more than --older-than ago, with their steps and attempts.",
        discussion: """
            The database file shrinks by the space they took. A database made by an older Baton is \
            rewritten once (VACUUM) the first time, which takes as long as copying it. 'baton serve \
            --retention 30d' does the same daily.
            """
    )

    @OptionGroup var target: RunsTarget

    @Option(help: "Delete runs that finished longer ago than this, e.g. 30d, 12h.")
    var olderThan: String

    @Flag(help: "Print the result as JSON: {deleted, cutoff, bytes_before, bytes_after}.")
    var json = false

    func validate() throws {
        guard (try? DurationText.parse(olderThan)) != nil else {
            throw ValidationError("--older-than must be a duration like 30d, 12h or 90m, not '\(olderThan)'")
        }
    }

    func run() async throws {
        try await RunsFailure.reporting {
            let result = try await target.source().prune(olderThan: try DurationText.parse(olderThan))
            if json {
                print(result.serialized(pretty: true))
                return
            }
            let deleted = Int(result["deleted"]?.numberValue ?? 0)
            var line = "pruned \(deleted) run\(deleted == 1 ? "" : "s") that finished before \(result["cutoff"]?.stringValue ?? "?")"
            if let before = result["bytes_before"]?.numberValue, let after = result["bytes_after"]?.numberValue {
                line += "; the database went from \(Self.size(before)) to \(Self.size(after))"
            }
            print(line)
        }
    }

    /// `912 KB`, `3.4 MB`, `1.2 GB`.
    static func size(_ bytes: Double) -> String {
        if bytes < 1_000_000 { return "\(Int((bytes / 1000).rounded())) KB" }
        if bytes < 1_000_000_000 { return String(format: "%.1f MB", bytes / 1_000_000) }
        return String(format: "%.2f GB", bytes / 1_000_000_000)
    }
}

import ArgumentParser
import Foundation

/// `baton runs show ID`: one run as a terminal timeline, or its whole record as JSON.
struct RunsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a run: each step with its status, start, duration, attempts and error.",
        discussion: "Colour is used when standard output is a terminal (and NO_COLOR is not set)."
    )

    @OptionGroup var target: RunsTarget

    @Argument(help: "The run's id.")
    var id: String

    @Flag(help: "Print the whole run record as JSON: every step and attempt with inputs, outputs and request summaries.")
    var json = false

    func run() async throws {
        try await RunsFailure.reporting {
            let record = try await target.source().show(id)
            if json {
                print(record.serialized(pretty: true))
            } else {
                print(RunsTimeline(run: record, colour: RunsTimeline.stdoutWantsColour).render(), terminator: "")
            }
        }
    }
}

import ArgumentParser
import BatonCore
import Foundation
import JSONata

/// `baton cron next EXPRESSION`: the next fire times of a cron expression.
struct CronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron",
        abstract: "Work with cron expressions.",
        subcommands: [Next.self]
    )

    /// `baton cron next`.
    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the next fire times of a cron expression, as ISO 8601 times with their offset.",
            discussion: """
                Five fields (minute hour day-of-month month day-of-week) or six with leading seconds; \
                names, ranges, steps, lists, @hourly @daily @weekly @monthly @yearly, L, 5L and 1#2. \
                Daylight-saving changes follow Vixie cron.
                """
        )

        @Argument(help: "The cron expression, quoted, e.g. \"0 9 * * 1-5\".")
        var expression: String

        @Option(help: "The IANA timezone the expression is read in.")
        var timezone = "UTC"

        @Option(help: "Start after this time (ISO 8601; without an offset it is read in --timezone). Default: now.")
        var from: String?

        @Option(help: "How many fire times to print (1-1000).")
        var count = 5

        @Flag(help: "Print a JSON array.")
        var json = false

        func validate() throws {
            guard (1...1000).contains(count) else {
                throw ValidationError("--count must be between 1 and 1000")
            }
            guard TimeZone(identifier: timezone) != nil else {
                throw ValidationError("unknown timezone '\(timezone)'; use an IANA name such as Europe/Berlin")
            }
            if let from, ISO8601Time.parse(from) == nil {
                throw ValidationError("--from '\(from)' is not an ISO 8601 time like 2026-03-29T00:00:00Z")
            }
        }

        func run() throws {
            let zone = TimeZone(identifier: timezone)!
            let start = from.flatMap { ISO8601Time.parse($0, defaultTimeZone: zone) } ?? Date()
            let cron: CronExpression
            do {
                cron = try CronExpression(expression)
            } catch {
                printError("error: invalid cron expression: \(error.message)")
                printError("  \(expression)")
                printError("  " + String(repeating: " ", count: error.offset) + "^")
                throw ExitCode(1)
            }
            let dates = cron.nextDates(after: start, in: zone, count: count)
            let lines = dates.map { ISO8601Time.format($0, in: zone) }
            if json {
                print(JSONValue.array(lines.map { .string($0) }).serialized())
            } else {
                for line in lines { print(line) }
            }
            if dates.isEmpty {
                printError("error: '\(expression)' never fires; check the day-of-month and month fields")
                throw ExitCode(1)
            }
        }
    }
}

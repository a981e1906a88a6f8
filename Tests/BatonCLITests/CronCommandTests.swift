import Foundation
import Testing

/// `baton cron next`, run as the real binary, against hand-worked fire times.
struct CronCommandTests {
    @Test func fixedTimeJobInTheSpringGap() async throws {
        let output = try await BatonProcess.runAsync(["cron", "next", "30 2 * * *", "--timezone", "Europe/Berlin",
                                           "--from", "2026-03-28T00:00:00Z", "--count", "3"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == "2026-03-28T02:30:00+01:00\n2026-03-29T03:00:00+02:00\n2026-03-30T02:30:00+02:00\n")
    }

    @Test func wildcardJobThroughTheAutumnRepeat() async throws {
        let output = try await BatonProcess.runAsync(["cron", "next", "*/30 1-3 * * *", "--timezone", "Europe/Berlin",
                                           "--from", "2026-10-25T00:00:00+02:00", "--count", "8", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == """
            ["2026-10-25T01:00:00+02:00","2026-10-25T01:30:00+02:00","2026-10-25T02:00:00+02:00","2026-10-25T02:30:00+02:00",\
            "2026-10-25T02:00:00+01:00","2026-10-25T02:30:00+01:00","2026-10-25T03:00:00+01:00","2026-10-25T03:30:00+01:00"]

            """)
    }

    @Test func hourlyJobSkipsTheMissingHourInNewYork() async throws {
        let output = try await BatonProcess.runAsync(["cron", "next", "0 * * * *", "--timezone", "America/New_York",
                                           "--from", "2026-03-08T00:30:00-05:00", "--count", "3"])
        #expect(output.stdout == "2026-03-08T01:00:00-05:00\n2026-03-08T03:00:00-04:00\n2026-03-08T04:00:00-04:00\n")
    }

    @Test func fromWithoutOffsetIsReadInTheTimezone() async throws {
        let output = try await BatonProcess.runAsync(["cron", "next", "0 9 * * 1-5", "--timezone", "Europe/Berlin",
                                           "--from", "2026-11-27T09:00", "--count", "2"])
        #expect(output.stdout == "2026-11-30T09:00:00+01:00\n2026-12-01T09:00:00+01:00\n")
    }

    @Test func invalidExpressionPointsAtTheField() async throws {
        let output = try await BatonProcess.runAsync(["cron", "next", "0 25 * * *"])
        #expect(output.status == 1)
        #expect(output.stdout == "")
        let lines = output.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4)
        #expect(lines.first?.hasPrefix("error: invalid cron expression: ") == true)
        #expect(lines.dropFirst().first == "  0 25 * * *")
        #expect(lines.dropFirst(2).first == "    ^")
    }

    @Test func usageErrors() async throws {
        #expect(try await BatonProcess.runAsync(["cron", "next", "* * * * *", "--count", "0"]).status == 2)
        #expect(try await BatonProcess.runAsync(["cron", "next", "* * * * *", "--timezone", "Mars/Olympus"]).status == 2)
        #expect(try await BatonProcess.runAsync(["cron", "next", "* * * * *", "--from", "tomorrow"]).status == 2)
    }
}

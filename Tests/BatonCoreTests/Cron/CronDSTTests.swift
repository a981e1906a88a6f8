import Foundation
import Testing
@testable import BatonCore

/// Fire times across the 2026 daylight-saving changes, worked out by hand.
///
/// Europe/Berlin springs forward 2026-03-29 at 02:00 CET (01:00Z) to 03:00 CEST, and falls back
/// 2026-10-25 at 03:00 CEST (01:00Z) to 02:00 CET. America/New_York springs forward 2026-03-08 at
/// 02:00 EST (07:00Z) to 03:00 EDT, and falls back 2026-11-01 at 02:00 EDT (06:00Z) to 01:00 EST.
struct CronDSTTests {
    /// Fixed-time jobs fire once per listed time and day: at the end of a gap, or at the first
    /// occurrence of a repeated time.
    static let fixedTime: [CronFireCase] = [
        // 02:30 does not exist in Berlin on 29 March: fires at 03:00 CEST = 01:00Z.
        CronFireCase("30 2 * * *", "Europe/Berlin", after: "2026-03-28T12:00:00+01:00", [
            "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00", "2026-03-31T02:30:00+02:00",
        ]),
        // 02:30 happens twice in Berlin on 25 October: only the first (CEST) one fires.
        // Searching from the last second before the gap: the gap's end is still to come.
        CronFireCase("30 2 * * *", "Europe/Berlin", after: "2026-03-29T01:59:59+01:00", ["2026-03-29T03:00:00+02:00"]),
        CronFireCase("30 2 * * *", "Europe/Berlin", after: "2026-03-29T01:59:59.5+01:00", ["2026-03-29T03:00:00+02:00"]),
        CronFireCase("30 2 * * *", "Europe/Berlin", after: "2026-03-29T03:00:00+02:00", ["2026-03-30T02:30:00+02:00"]),
        CronFireCase("30 2 * * *", "Europe/Berlin", after: "2026-10-24T12:00:00+02:00", [
            "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00",
        ]),
        CronFireCase("30 2 * * *", "Europe/Berlin", after: "2026-10-25T02:45:00+02:00", ["2026-10-26T02:30:00+01:00"]),
        // Searching from inside the second pass, before 02:30 CET: that 02:30 already fired.
        CronFireCase("30 2 * * *", "Europe/Berlin", after: "2026-10-25T02:10:00+01:00", ["2026-10-26T02:30:00+01:00"]),
        // 01:30 happens twice in New York on 1 November: only the first (EDT) one fires.
        CronFireCase("30 1 * * *", "America/New_York", after: "2026-10-31T12:00:00-04:00", [
            "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00",
        ]),
        CronFireCase("30 1 * * *", "America/New_York", after: "2026-11-01T01:40:00-04:00", ["2026-11-02T01:30:00-05:00"]),
        CronFireCase("30 1 * * *", "America/New_York", after: "2026-11-01T01:10:00-05:00", ["2026-11-02T01:30:00-05:00"]),
        // 02:30 does not exist in New York on 8 March: fires at 03:00 EDT = 07:00Z.
        CronFireCase("30 2 * * *", "America/New_York", after: "2026-03-07T12:00:00-05:00", [
            "2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00",
        ]),
        // 02:30 happens once in New York on 1 November (after the repeated 01:00-01:59).
        CronFireCase("30 2 * * *", "America/New_York", after: "2026-10-31T12:00:00-04:00", [
            "2026-11-01T02:30:00-05:00", "2026-11-02T02:30:00-05:00",
        ]),
        // Lists of hours: each listed time fires once.
        CronFireCase("30 1,2 * * *", "America/New_York", after: "2026-10-31T12:00:00-04:00", [
            "2026-11-01T01:30:00-04:00", "2026-11-01T02:30:00-05:00", "2026-11-02T01:30:00-05:00",
        ]),
        CronFireCase("0 2,3 * * *", "Europe/Berlin", after: "2026-10-24T12:00:00+02:00", [
            "2026-10-25T02:00:00+02:00", "2026-10-25T03:00:00+01:00", "2026-10-26T02:00:00+01:00",
        ]),
        // Two listed times inside the gap fire once, together, when it ends.
        CronFireCase("0,30 2 * * *", "Europe/Berlin", after: "2026-03-28T12:00:00+01:00", [
            "2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00", "2026-03-30T02:30:00+02:00",
        ]),
        CronFireCase("30 2,3 * * *", "Europe/Berlin", after: "2026-03-28T12:00:00+01:00", [
            "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00", "2026-03-30T02:30:00+02:00",
        ]),
        // A fixed seconds field is part of the fixed time.
        CronFireCase("0 30 2 * * *", "Europe/Berlin", after: "2026-03-28T12:00:00+01:00", [
            "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00",
        ]),
        CronFireCase("15,45 30 2 * * *", "Europe/Berlin", after: "2026-03-28T12:00:00+01:00", [
            "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:15+02:00", "2026-03-30T02:30:45+02:00",
        ]),
        CronFireCase("15 30 2 * * *", "Europe/Berlin", after: "2026-10-24T12:00:00+02:00", [
            "2026-10-25T02:30:15+02:00", "2026-10-26T02:30:15+01:00",
        ]),
        // Weekday jobs keep their wall time across the change.
        CronFireCase("0 9 * * 1-5", "America/New_York", after: "2026-03-06T12:00:00-05:00", [
            "2026-03-09T09:00:00-04:00", "2026-03-10T09:00:00-04:00",
        ]),
        // Santiago springs forward at midnight (6 September 00:00 -04 becomes 01:00 -03)...
        CronFireCase("0 0 * * *", "America/Santiago", after: "2026-09-05T12:00:00-04:00", [
            "2026-09-06T01:00:00-03:00", "2026-09-07T00:00:00-03:00",
        ]),
        // ...and falls back at midnight (5 April 00:00 -03 becomes 4 April 23:00 -04).
        CronFireCase("30 23 * * *", "America/Santiago", after: "2026-04-04T12:00:00-03:00", [
            "2026-04-04T23:30:00-03:00", "2026-04-05T23:30:00-04:00",
        ]),
        // Lord Howe moves by 30 minutes: 4 October 02:00 +10:30 becomes 02:30 +11:00.
        CronFireCase("15 2 * * *", "Australia/Lord_Howe", after: "2026-10-03T12:00:00+10:30", [
            "2026-10-04T02:30:00+11:00", "2026-10-05T02:15:00+11:00",
        ]),
    ]

    /// Wildcard jobs follow the wall clock: gap slots vanish, repeated slots fire twice.
    static let wildcard: [CronFireCase] = [
        CronFireCase("*/15 * * * *", "Europe/Berlin", after: "2026-03-29T01:30:00+01:00", [
            "2026-03-29T01:45:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T03:15:00+02:00",
        ]),
        CronFireCase("*/15 * * * *", "Europe/Berlin", after: "2026-10-25T02:30:00+02:00", [
            "2026-10-25T02:45:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T02:15:00+01:00",
            "2026-10-25T02:30:00+01:00", "2026-10-25T02:45:00+01:00", "2026-10-25T03:00:00+01:00",
        ]),
        CronFireCase("*/15 * * * *", "America/New_York", after: "2026-03-08T01:30:00-05:00", [
            "2026-03-08T01:45:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T03:15:00-04:00",
        ]),
        CronFireCase("*/15 * * * *", "America/New_York", after: "2026-11-01T01:30:00-04:00", [
            "2026-11-01T01:45:00-04:00", "2026-11-01T01:00:00-05:00", "2026-11-01T01:15:00-05:00",
            "2026-11-01T01:30:00-05:00", "2026-11-01T01:45:00-05:00", "2026-11-01T02:00:00-05:00",
        ]),
        // Starting inside the second pass keeps going from there.
        CronFireCase("*/15 * * * *", "America/New_York", after: "2026-11-01T01:05:00-05:00", [
            "2026-11-01T01:15:00-05:00", "2026-11-01T01:30:00-05:00",
        ]),
        CronFireCase("0 * * * *", "Europe/Berlin", after: "2026-03-29T00:30:00+01:00", [
            "2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T04:00:00+02:00",
        ]),
        CronFireCase("0 * * * *", "Europe/Berlin", after: "2026-10-25T01:30:00+02:00", [
            "2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T03:00:00+01:00",
            "2026-10-25T04:00:00+01:00",
        ]),
        CronFireCase("0 * * * *", "America/New_York", after: "2026-03-08T00:30:00-05:00", [
            "2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T04:00:00-04:00",
        ]),
        CronFireCase("0 * * * *", "America/New_York", after: "2026-11-01T00:30:00-04:00", [
            "2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00",
        ]),
        CronFireCase("@hourly", "America/New_York", after: "2026-11-01T00:30:00-04:00", [
            "2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00",
        ]),
        CronFireCase("*/30 1-3 * * *", "Europe/Berlin", after: "2026-03-28T12:00:00+01:00", [
            "2026-03-29T01:00:00+01:00", "2026-03-29T01:30:00+01:00", "2026-03-29T03:00:00+02:00",
            "2026-03-29T03:30:00+02:00", "2026-03-30T01:00:00+02:00",
        ]),
        CronFireCase("*/30 1-3 * * *", "Europe/Berlin", after: "2026-10-24T12:00:00+02:00", [
            "2026-10-25T01:00:00+02:00", "2026-10-25T01:30:00+02:00", "2026-10-25T02:00:00+02:00",
            "2026-10-25T02:30:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T02:30:00+01:00",
            "2026-10-25T03:00:00+01:00", "2026-10-25T03:30:00+01:00", "2026-10-26T01:00:00+01:00",
        ]),
        CronFireCase("*/30 1-3 * * *", "America/New_York", after: "2026-03-07T12:00:00-05:00", [
            "2026-03-08T01:00:00-05:00", "2026-03-08T01:30:00-05:00", "2026-03-08T03:00:00-04:00",
            "2026-03-08T03:30:00-04:00", "2026-03-09T01:00:00-04:00",
        ]),
        CronFireCase("*/30 1-3 * * *", "America/New_York", after: "2026-10-31T12:00:00-04:00", [
            "2026-11-01T01:00:00-04:00", "2026-11-01T01:30:00-04:00", "2026-11-01T01:00:00-05:00",
            "2026-11-01T01:30:00-05:00", "2026-11-01T02:00:00-05:00", "2026-11-01T02:30:00-05:00",
            "2026-11-01T03:00:00-05:00", "2026-11-01T03:30:00-05:00",
        ]),
        // A range in the hour field makes the job a wildcard one: 02:30 simply does not occur.
        CronFireCase("30 0-3 * * *", "Europe/Berlin", after: "2026-03-29T00:00:00+01:00", [
            "2026-03-29T00:30:00+01:00", "2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00",
        ]),
        // A '*' seconds field makes it a wildcard job too: every second of 02:30, wherever it exists.
        CronFireCase("* 30 2 * * *", "Europe/Berlin", after: "2026-03-29T00:00:00+01:00", ["2026-03-30T02:30:00+02:00"]),
        CronFireCase("* 30 2 * * *", "Europe/Berlin", after: "2026-10-25T02:30:58+02:00", [
            "2026-10-25T02:30:59+02:00", "2026-10-25T02:30:00+01:00", "2026-10-25T02:30:01+01:00",
        ]),
        CronFireCase("*/15 * * * *", "Australia/Lord_Howe", after: "2026-10-04T01:40:00+10:30", [
            "2026-10-04T01:45:00+10:30", "2026-10-04T02:30:00+11:00",
        ]),
    ]

    @Test(arguments: fixedTime)
    func fixedTimeJobs(_ fireCase: CronFireCase) throws {
        try fireCase.check()
    }

    @Test(arguments: wildcard)
    func wildcardJobs(_ fireCase: CronFireCase) throws {
        try fireCase.check()
    }

    @Test func everyFifteenMinutesKeepsItsRhythmThroughBothChanges() throws {
        let cron = try CronExpression("*/15 * * * *")
        for (zone, from) in [("Europe/Berlin", "2026-03-28T22:00:00Z"), ("Europe/Berlin", "2026-10-24T22:00:00Z"),
                             ("America/New_York", "2026-03-08T04:00:00Z"), ("America/New_York", "2026-11-01T03:00:00Z")] {
            let timeZone = try #require(TimeZone(identifier: zone))
            let fires = cron.nextDates(after: try CronTestSupport.instant(from), in: timeZone, count: 40)
            let gaps = Set(zip(fires, fires.dropFirst()).map { $1.timeIntervalSince($0) })
            // Real time between fires is always 15 minutes: in spring the wall clock goes from 01:45
            // straight to 03:00, in autumn it shows the repeated quarter hours a second time.
            #expect(gaps.isSubset(of: [900]), "\(zone) from \(from): \(gaps)")
        }
    }
}

/// Compares the search with a brute-force walk, minute by minute, over the days around each 2026
/// change, using `Calendar` for wall-clock time and plain predicates for matching.
struct CronDSTOracleTests {
    struct Job: Sendable, CustomTestStringConvertible {
        let expression: String
        let matches: @Sendable (_ hour: Int, _ minute: Int) -> Bool
        var testDescription: String { expression }
    }

    static let jobs: [Job] = [
        Job(expression: "*/15 * * * *") { _, m in m % 15 == 0 },
        Job(expression: "0 * * * *") { _, m in m == 0 },
        Job(expression: "*/30 1-3 * * *") { h, m in (1...3).contains(h) && m % 30 == 0 },
        Job(expression: "30 2 * * *") { h, m in h == 2 && m == 30 },
        Job(expression: "30 1 * * *") { h, m in h == 1 && m == 30 },
        Job(expression: "0,30 2 * * *") { h, m in h == 2 && (m == 0 || m == 30) },
        Job(expression: "15,45 0,1,2,3 * * *") { h, m in h <= 3 && (m == 15 || m == 45) },
        Job(expression: "0 0 * * *") { h, m in h == 0 && m == 0 },
        Job(expression: "59 23 * * *") { h, m in h == 23 && m == 59 },
    ]

    static let windows: [(zone: String, from: String)] = [
        ("Europe/Berlin", "2026-03-28T00:00:00Z"), ("Europe/Berlin", "2026-10-24T00:00:00Z"),
        ("America/New_York", "2026-03-07T00:00:00Z"), ("America/New_York", "2026-10-31T00:00:00Z"),
        ("America/Santiago", "2026-04-03T00:00:00Z"), ("America/Santiago", "2026-09-05T00:00:00Z"),
        ("Australia/Lord_Howe", "2026-04-03T00:00:00Z"), ("Australia/Lord_Howe", "2026-10-02T00:00:00Z"),
    ]

    @Test(arguments: jobs)
    func searchAgreesWithBruteForce(_ job: Job) throws {
        let cron = try CronExpression(job.expression)
        for window in Self.windows {
            let timeZone = try #require(TimeZone(identifier: window.zone))
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let start = try CronTestSupport.instant(window.from)
            let fires = Self.bruteForce(job, fixed: cron.isFixedTime, from: start, minutes: 3 * 1440, calendar: calendar)
            // From every 7th minute of the first two days, the next fire must be the brute-force one.
            for step in stride(from: 0, to: 2 * 1440, by: 7) {
                let after = start.addingTimeInterval(TimeInterval(step * 60))
                let expected = fires.first { $0 > after }
                let actual = cron.next(after: after, in: timeZone)
                #expect(actual == expected, "\(window.zone) after \(CronTestSupport.iso(after, in: timeZone))")
                if actual != expected { break }
            }
        }
    }

    /// Fire instants by walking the timeline a minute at a time. A wildcard job fires whenever the
    /// wall clock shows a matching time. A fixed-time job fires when the wall clock reaches, for the
    /// first time, a matching time or passes over one (a gap).
    static func bruteForce(_ job: Job, fixed: Bool, from start: Date, minutes: Int, calendar: Calendar) -> [Date] {
        var fires: [Date] = []
        var latestWall: (day: Int, minute: Int)? = nil
        for step in 0..<minutes {
            let instant = start.addingTimeInterval(TimeInterval(step * 60))
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
            let day = parts.year! * 10_000 + parts.month! * 100 + parts.day!
            let wall = (day: day, minute: parts.hour! * 60 + parts.minute!)
            if !fixed {
                if job.matches(parts.hour!, parts.minute!) { fires.append(instant) }
                continue
            }
            defer { if latestWall.map({ ($0.day, $0.minute) < (wall.day, wall.minute) }) ?? true { latestWall = wall } }
            guard let previous = latestWall else {
                if job.matches(parts.hour!, parts.minute!) { fires.append(instant) }
                continue
            }
            guard (previous.day, previous.minute) < (wall.day, wall.minute) else { continue }
            // Wall minutes in (previous, wall]; gaps never cross midnight in these windows except
            // Santiago's, which starts exactly at midnight.
            let from = previous.day == wall.day ? previous.minute + 1 : 0
            if (from...wall.minute).contains(where: { job.matches($0 / 60, $0 % 60) }) { fires.append(instant) }
        }
        return fires
    }
}

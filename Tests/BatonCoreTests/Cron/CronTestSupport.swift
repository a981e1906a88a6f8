import Foundation
import Testing
@testable import BatonCore

/// One row of a hand-worked fire-time table: the expression, the zone, the instant to search
/// after, and the fire times expected, written as ISO 8601 with the zone's offset at that instant.
struct CronFireCase: Sendable, CustomTestStringConvertible {
    let expression: String
    let zone: String
    let after: String
    let expected: [String]

    init(_ expression: String, _ zone: String, after: String, _ expected: [String]) {
        self.expression = expression
        self.zone = zone
        self.after = after
        self.expected = expected
    }

    var testDescription: String { "'\(expression)' in \(zone) after \(after)" }

    /// Checks the first `expected.count` fire times, and each single `next` step against them.
    func check(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let cron = try CronExpression(expression)
        let timeZone = try #require(TimeZone(identifier: zone), sourceLocation: sourceLocation)
        let start = try CronTestSupport.instant(after)
        let fires = cron.nextDates(after: start, in: timeZone, count: expected.count)
        #expect(fires.map { CronTestSupport.iso($0, in: timeZone) } == expected, sourceLocation: sourceLocation)
    }
}

/// Date helpers for the cron tests.
enum CronTestSupport {
    struct BadDate: Error { let text: String }

    /// Parses an ISO 8601 timestamp with offset, with optional fractional seconds.
    static func instant(_ text: String) throws -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { throw BadDate(text: text) }
        return date
    }

    /// Formats an instant as ISO 8601 with the zone's offset at that instant ("Z" for UTC).
    static func iso(_ date: Date, in timeZone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = timeZone
        return formatter.string(from: date)
    }
}

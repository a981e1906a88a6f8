import Foundation
import Testing
@testable import BatonCore

/// Next fire times away from daylight-saving changes, against hand-worked tables.
struct CronNextTests {
    // 2026 calendar used below: Jan 1 is a Thursday, Feb 1 and Mar 1 Sundays, Apr 1 a Wednesday,
    // May 1 a Friday, Jun 1 a Monday, Aug 1 a Saturday, Nov 1 a Sunday.
    static let cases: [CronFireCase] = [
        // Weekdays at 09:00 in Berlin, from a Friday afternoon over the spring-forward weekend.
        CronFireCase("0 9 * * 1-5", "Europe/Berlin", after: "2026-03-27T12:00:00+01:00", [
            "2026-03-30T09:00:00+02:00", "2026-03-31T09:00:00+02:00", "2026-04-01T09:00:00+02:00",
            "2026-04-02T09:00:00+02:00", "2026-04-03T09:00:00+02:00", "2026-04-06T09:00:00+02:00",
        ]),
        CronFireCase("0 9 * * MON-FRI", "UTC", after: "2026-03-06T10:00:00Z", [
            "2026-03-09T09:00:00Z", "2026-03-10T09:00:00Z", "2026-03-11T09:00:00Z",
        ]),
        // Day-of-month and day-of-week both restricted: the 13th OR any Friday.
        CronFireCase("0 0 13 * 5", "UTC", after: "2026-02-01T00:00:00Z", [
            "2026-02-06T00:00:00Z", "2026-02-13T00:00:00Z", "2026-02-20T00:00:00Z", "2026-02-27T00:00:00Z",
            "2026-03-06T00:00:00Z", "2026-03-13T00:00:00Z", "2026-03-20T00:00:00Z", "2026-03-27T00:00:00Z",
            "2026-04-03T00:00:00Z", "2026-04-10T00:00:00Z", "2026-04-13T00:00:00Z", "2026-04-17T00:00:00Z",
        ]),
        // Feb 29 OR a Monday in February: fires every year.
        CronFireCase("0 0 29 2 1", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-02-02T00:00:00Z", "2026-02-09T00:00:00Z", "2026-02-16T00:00:00Z", "2026-02-23T00:00:00Z",
            "2027-02-01T00:00:00Z", "2027-02-08T00:00:00Z",
        ]),
        // Vixie cron: a day field starting with '*' is unrestricted, so '*/2' AND Monday.
        CronFireCase("0 0 */2 * 1", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-01-05T00:00:00Z", "2026-01-19T00:00:00Z", "2026-02-09T00:00:00Z", "2026-02-23T00:00:00Z",
        ]),
        // '?' is '*'.
        CronFireCase("0 0 ? * 5", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-01-02T00:00:00Z", "2026-01-09T00:00:00Z",
        ]),
        CronFireCase("0 0 13 * ?", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-01-13T00:00:00Z", "2026-02-13T00:00:00Z",
        ]),
        // Leap years; 2100 is not one.
        CronFireCase("0 0 29 2 *", "UTC", after: "2026-01-01T00:00:00Z", [
            "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", "2036-02-29T00:00:00Z",
        ]),
        CronFireCase("0 0 29 2 *", "UTC", after: "2096-03-01T00:00:00Z", ["2104-02-29T00:00:00Z"]),
        // L: the last day of the month.
        CronFireCase("0 12 L * *", "UTC", after: "2026-01-15T00:00:00Z", [
            "2026-01-31T12:00:00Z", "2026-02-28T12:00:00Z", "2026-03-31T12:00:00Z", "2026-04-30T12:00:00Z",
        ]),
        CronFireCase("0 12 L * *", "UTC", after: "2028-01-31T12:00:00Z", ["2028-02-29T12:00:00Z"]),
        CronFireCase("0 0 1,L * *", "UTC", after: "2026-01-15T00:00:00Z", [
            "2026-01-31T00:00:00Z", "2026-02-01T00:00:00Z", "2026-02-28T00:00:00Z", "2026-03-01T00:00:00Z",
        ]),
        // 5L: the last Friday of the month.
        CronFireCase("0 0 * * 5L", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-01-30T00:00:00Z", "2026-02-27T00:00:00Z", "2026-03-27T00:00:00Z",
            "2026-04-24T00:00:00Z", "2026-05-29T00:00:00Z",
        ]),
        CronFireCase("0 18 * * FRIL", "Europe/Berlin", after: "2026-01-01T00:00:00+01:00", [
            "2026-01-30T18:00:00+01:00", "2026-02-27T18:00:00+01:00", "2026-03-27T18:00:00+01:00",
        ]),
        // 1#2: the second Monday; 1#5: the fifth Monday, only in some months.
        CronFireCase("0 0 * * 1#2", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-01-12T00:00:00Z", "2026-02-09T00:00:00Z", "2026-03-09T00:00:00Z",
            "2026-04-13T00:00:00Z", "2026-05-11T00:00:00Z",
        ]),
        CronFireCase("0 0 * * MON#5", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-03-30T00:00:00Z", "2026-06-29T00:00:00Z", "2026-08-31T00:00:00Z", "2026-11-30T00:00:00Z",
        ]),
        // The fifth Monday of February is a Monday 29 February: 2016, 2044, 2072 (a 28-year cycle).
        CronFireCase("0 0 * 2 1#5", "UTC", after: "2026-01-01T00:00:00Z", ["2044-02-29T00:00:00Z", "2072-02-29T00:00:00Z"]),
        CronFireCase("0 0 * * 1#1,5L", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-01-05T00:00:00Z", "2026-01-30T00:00:00Z", "2026-02-02T00:00:00Z", "2026-02-27T00:00:00Z",
        ]),
        // L and # together, both restricted: either matches.
        CronFireCase("0 0 L * 1#1", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-01-05T00:00:00Z", "2026-01-31T00:00:00Z", "2026-02-02T00:00:00Z",
            "2026-02-28T00:00:00Z", "2026-03-02T00:00:00Z", "2026-03-31T00:00:00Z",
        ]),
        // Day-of-month that no February has, OR the last Friday of February.
        CronFireCase("0 0 30 2 5L", "UTC", after: "2026-01-01T00:00:00Z", ["2026-02-27T00:00:00Z", "2027-02-26T00:00:00Z"]),
        // Steps.
        CronFireCase("10-50/20 * * * *", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-01-01T00:10:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:50:00Z", "2026-01-01T01:10:00Z",
        ]),
        CronFireCase("5/20 * * * *", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-01-01T00:05:00Z", "2026-01-01T00:25:00Z", "2026-01-01T00:45:00Z", "2026-01-01T01:05:00Z",
        ]),
        CronFireCase("0 */6 * * *", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-01-01T06:00:00Z", "2026-01-01T12:00:00Z", "2026-01-01T18:00:00Z", "2026-01-02T00:00:00Z",
        ]),
        CronFireCase("59 23 31 12 *", "UTC", after: "2026-06-01T00:00:00Z", ["2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z"]),
        // Names, case-insensitive; Sunday as 0, 7 and at the end of a range.
        CronFireCase("0 0 1 JAN,jul *", "UTC", after: "2026-02-01T00:00:00Z", ["2026-07-01T00:00:00Z", "2027-01-01T00:00:00Z"]),
        CronFireCase("0 8 * * FRI-SUN", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-01-02T08:00:00Z", "2026-01-03T08:00:00Z", "2026-01-04T08:00:00Z", "2026-01-09T08:00:00Z",
        ]),
        CronFireCase("0 8 * * sat,sun", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-01-03T08:00:00Z", "2026-01-04T08:00:00Z", "2026-01-10T08:00:00Z",
        ]),
        CronFireCase("0 0 * * 7", "UTC", after: "2026-01-01T00:00:00Z", ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"]),
        // '7/2' starts at Sunday and runs to the end of the week: just Sunday.
        CronFireCase("0 0 * * 7/2", "UTC", after: "2026-01-01T00:00:00Z", ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"]),
        // '1/2' is Monday, Wednesday, Friday.
        CronFireCase("0 0 * * 1/2", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-01-02T00:00:00Z", "2026-01-05T00:00:00Z", "2026-01-07T00:00:00Z", "2026-01-09T00:00:00Z",
        ]),
        CronFireCase("0 0 * * 0", "UTC", after: "2026-01-01T00:00:00Z", ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"]),
        CronFireCase("0 0 1 * 5-7", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z", "2026-01-09T00:00:00Z",
        ]),
        // Macros.
        CronFireCase("@hourly", "UTC", after: "2026-01-01T00:30:00Z", ["2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z"]),
        CronFireCase("@daily", "UTC", after: "2026-01-01T00:30:00Z", ["2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"]),
        CronFireCase("@midnight", "Europe/Berlin", after: "2026-01-01T00:30:00+01:00", ["2026-01-02T00:00:00+01:00"]),
        CronFireCase("@weekly", "UTC", after: "2026-01-01T00:00:00Z", ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"]),
        CronFireCase("@monthly", "UTC", after: "2026-01-01T00:00:00Z", ["2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"]),
        CronFireCase("@yearly", "UTC", after: "2026-01-01T00:00:00Z", ["2027-01-01T00:00:00Z"]),
        CronFireCase("@Annually", "UTC", after: "2026-01-01T00:00:00Z", ["2027-01-01T00:00:00Z"]),
        // Seconds fields.
        CronFireCase("*/20 * * * * *", "UTC", after: "2026-01-01T00:00:00Z", [
            "2026-01-01T00:00:20Z", "2026-01-01T00:00:40Z", "2026-01-01T00:01:00Z",
        ]),
        CronFireCase("30 0 9 * * *", "UTC", after: "2026-01-01T09:00:00Z", ["2026-01-01T09:00:30Z", "2026-01-02T09:00:30Z"]),
        CronFireCase("0,30 59 23 * * *", "UTC", after: "2026-01-01T23:59:30Z", ["2026-01-02T23:59:00Z", "2026-01-02T23:59:30Z"]),
        CronFireCase("* * * * * *", "UTC", after: "2026-12-31T23:59:58Z", ["2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z"]),
        // A zone with a fixed offset and no DST.
        CronFireCase("0 9 * * *", "Asia/Kolkata", after: "2026-01-01T00:00:00Z", ["2026-01-01T09:00:00+05:30", "2026-01-02T09:00:00+05:30"]),
        // Whitespace between fields is free.
        CronFireCase("  0\t9  * *   1-5 ", "UTC", after: "2026-03-06T10:00:00Z", ["2026-03-09T09:00:00Z"]),
    ]

    @Test(arguments: cases)
    func fireTimes(_ fireCase: CronFireCase) throws {
        try fireCase.check()
    }

    @Test(arguments: ["0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 31 2 *", "0 0 30,31 2 ?"])
    func neverFiringExpressionsReturnNilQuickly(_ text: String) throws {
        let cron = try CronExpression(text)
        let clock = ContinuousClock()
        var fire: Date? = Date()
        let elapsed = clock.measure {
            fire = cron.next(after: try! CronTestSupport.instant("2026-01-01T00:00:00Z"), in: TimeZone(identifier: "Europe/Berlin")!)
        }
        #expect(fire == nil)
        #expect(elapsed < .milliseconds(500))
    }

    @Test func nextIsStrictlyAfterTheGivenInstant() throws {
        let cron = try CronExpression("0 9 * * *")
        let utc = try #require(TimeZone(identifier: "UTC"))
        let atFire = try CronTestSupport.instant("2026-01-01T09:00:00Z")
        #expect(cron.next(after: atFire, in: utc) == (try CronTestSupport.instant("2026-01-02T09:00:00Z")))
        let justBefore = try CronTestSupport.instant("2026-01-01T08:59:59.999Z")
        #expect(cron.next(after: justBefore, in: utc) == atFire)
        let justAfter = try CronTestSupport.instant("2026-01-01T09:00:00.001Z")
        #expect(cron.next(after: justAfter, in: utc) == (try CronTestSupport.instant("2026-01-02T09:00:00Z")))
    }

    @Test func nextDatesHonoursCount() throws {
        let cron = try CronExpression("@hourly")
        let utc = try #require(TimeZone(identifier: "UTC"))
        let start = try CronTestSupport.instant("2026-01-01T00:00:00Z")
        #expect(cron.nextDates(after: start, in: utc, count: 0).isEmpty)
        #expect(cron.nextDates(after: start, in: utc, count: -3).isEmpty)
        #expect(cron.nextDates(after: start, in: utc, count: 24).count == 24)
        #expect(try CronExpression("0 0 30 2 *").nextDates(after: start, in: utc, count: 3).isEmpty)
    }

    @Test func aDenseScheduleFarFromItsNextFireIsFound() throws {
        // Every second of 1 January only: from February the search must jump whole months.
        let cron = try CronExpression("* * * 1 1 *")
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let fire = cron.next(after: try CronTestSupport.instant("2026-02-01T00:00:00+01:00"), in: berlin)
        #expect(fire.map { CronTestSupport.iso($0, in: berlin) } == "2027-01-01T00:00:00+01:00")
    }
}

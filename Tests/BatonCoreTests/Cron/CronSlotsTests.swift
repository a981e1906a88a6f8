import Foundation
import Testing
@testable import BatonCore

/// Which schedule slots fire when the scheduler wakes, under each catch-up policy.
struct CronSlotsTests {
    typealias CatchUp = ScheduleTrigger.CatchUp

    static let utc = TimeZone(identifier: "UTC")!
    static let grace = Duration.seconds(60)

    static func at(_ text: String) throws -> Date { try CronTestSupport.instant(text) }

    static func slots(
        _ expression: String, last: String?, registered: String = "2020-01-01T00:00:00Z", now: String,
        zone: TimeZone = utc, catchUp: CatchUp, cap: Int = 100
    ) throws -> ScheduleSlots {
        let cron = try CronExpression(expression)
        return cron.dueSlots(lastSlot: try last.map(at), since: try at(registered), now: try at(now), in: zone,
                             catchUp: catchUp, cap: cap, grace: grace)
    }

    static func expected(_ fire: [String], missed: Int, next: String?) throws -> ScheduleSlots {
        ScheduleSlots(fire: try fire.map(at), missed: missed, next: try next.map(at))
    }

    // MARK: ordinary wake-ups

    /// The scheduler wakes just after the slot it slept for: every policy fires it, and only it.
    @Test(arguments: CatchUp.allCases)
    func aMinuteScheduleWithoutDowntimeFiresTheOneSlot(catchUp: CatchUp) throws {
        let result = try Self.slots("* * * * *", last: "2026-05-04T10:00:00Z", now: "2026-05-04T10:01:00.250Z",
                                    catchUp: catchUp)
        #expect(result == (try Self.expected(["2026-05-04T10:01:00Z"], missed: 0, next: "2026-05-04T10:02:00Z")))
    }

    /// Waking early, or twice for the same slot, fires nothing.
    @Test(arguments: CatchUp.allCases)
    func nothingIsDueBeforeTheNextSlot(catchUp: CatchUp) throws {
        let result = try Self.slots("* * * * *", last: "2026-05-04T10:01:00Z", now: "2026-05-04T10:01:59.999Z",
                                    catchUp: catchUp)
        #expect(result == (try Self.expected([], missed: 0, next: "2026-05-04T10:02:00Z")))
    }

    // MARK: downtime

    /// Down from 09:30 to 12:30 on an hourly schedule: 10:00, 11:00 and 12:00 are due.
    @Test(arguments: [
        (CatchUp.all, ["2026-05-04T10:00:00Z", "2026-05-04T11:00:00Z", "2026-05-04T12:00:00Z"], 0),
        (CatchUp.latest, ["2026-05-04T12:00:00Z"], 2),
        (CatchUp.none, [], 3),
    ])
    func threeHoursOfDowntimeOnAnHourlySchedule(catchUp: CatchUp, fire: [String], missed: Int) throws {
        let result = try Self.slots("0 * * * *", last: "2026-05-04T09:00:00Z", now: "2026-05-04T12:30:00Z",
                                    catchUp: catchUp)
        #expect(result == (try Self.expected(fire, missed: missed, next: "2026-05-04T13:00:00Z")))
    }

    /// With `none`, a slot the scheduler woke for still fires after downtime; the older ones do not.
    @Test func noneFiresTheLatestSlotWhenItIsOnTime() throws {
        let result = try Self.slots("0 * * * *", last: "2026-05-04T09:00:00Z", now: "2026-05-04T12:00:00.5Z",
                                    catchUp: .none)
        #expect(result == (try Self.expected(["2026-05-04T12:00:00Z"], missed: 2, next: "2026-05-04T13:00:00Z")))
    }

    /// On time means at most `grace` late, boundary included.
    @Test(arguments: [("2026-05-04T12:01:00Z", true), ("2026-05-04T12:01:00.001Z", false), ("2026-05-04T12:01:01Z", false)])
    func graceIsInclusive(now: String, fires: Bool) throws {
        let result = try Self.slots("0 * * * *", last: "2026-05-04T11:00:00Z", now: now, catchUp: .none)
        #expect(result.fire == (fires ? [try Self.at("2026-05-04T12:00:00Z")] : []))
        #expect(result.missed == (fires ? 0 : 1))
    }

    @Test(arguments: [
        (2, ["2026-05-04T11:00:00Z", "2026-05-04T12:00:00Z"], 1),
        (1, ["2026-05-04T12:00:00Z"], 2),
        (3, ["2026-05-04T10:00:00Z", "2026-05-04T11:00:00Z", "2026-05-04T12:00:00Z"], 0),
        (0, [], 3),
        (-1, [], 3),
    ])
    func allFiresAtMostCapOfTheMostRecent(cap: Int, fire: [String], missed: Int) throws {
        let result = try Self.slots("0 * * * *", last: "2026-05-04T09:00:00Z", now: "2026-05-04T12:30:00Z",
                                    catchUp: .all, cap: cap)
        #expect(result == (try Self.expected(fire, missed: missed, next: "2026-05-04T13:00:00Z")))
    }

    // MARK: new schedules

    /// A schedule registered at 09:30 owes nothing for 09:00 or earlier, whatever the policy.
    @Test(arguments: CatchUp.allCases)
    func aNewScheduleDoesNotFireForPastSlots(catchUp: CatchUp) throws {
        let before = try Self.slots("0 * * * *", last: nil, registered: "2026-05-04T09:30:00Z",
                                    now: "2026-05-04T09:59:00Z", catchUp: catchUp)
        #expect(before == (try Self.expected([], missed: 0, next: "2026-05-04T10:00:00Z")))
        let first = try Self.slots("0 * * * *", last: nil, registered: "2026-05-04T09:30:00Z",
                                   now: "2026-05-04T10:00:01Z", catchUp: catchUp)
        #expect(first == (try Self.expected(["2026-05-04T10:00:00Z"], missed: 0, next: "2026-05-04T11:00:00Z")))
    }

    /// Registered at the very second of a slot: that slot is not after registration.
    @Test func aSlotAtTheRegistrationInstantIsNotDue() throws {
        let result = try Self.slots("0 * * * *", last: nil, registered: "2026-05-04T10:00:00Z",
                                    now: "2026-05-04T10:00:10Z", catchUp: .all)
        #expect(result == (try Self.expected([], missed: 0, next: "2026-05-04T11:00:00Z")))
    }

    /// Once a slot has been handled, registration time no longer matters.
    @Test func lastSlotTakesOverFromRegistration() throws {
        let result = try Self.slots("0 * * * *", last: "2026-05-04T10:00:00Z", registered: "2026-05-04T11:30:00Z",
                                    now: "2026-05-04T12:00:05Z", catchUp: .all)
        #expect(result.fire == [try Self.at("2026-05-04T11:00:00Z"), try Self.at("2026-05-04T12:00:00Z")])
    }

    /// If the clock goes back past the last slot, nothing fires and the next wake-up is not a slot
    /// that already fired.
    @Test func aClockThatWentBackDoesNotRefire() throws {
        let result = try Self.slots("0 * * * *", last: "2026-05-04T12:00:00Z", now: "2026-05-04T11:30:00Z", catchUp: .all)
        #expect(result == (try Self.expected([], missed: 0, next: "2026-05-04T13:00:00Z")))
    }

    // MARK: time zones

    /// Daily 09:00 in Berlin across the spring-forward night (29 March 2026): 09:00 CET, then CEST.
    @Test func aDailyBerlinScheduleAcrossDaylightSaving() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let result = try Self.slots("0 9 * * *", last: "2026-03-27T09:00:00+01:00", now: "2026-03-30T10:00:00+02:00",
                                    zone: berlin, catchUp: .all)
        #expect(result == (try Self.expected(
            ["2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z"],
            missed: 0, next: "2026-03-31T07:00:00Z")))
        let latest = try Self.slots("0 9 * * *", last: "2026-03-27T09:00:00+01:00", now: "2026-03-30T09:00:30+02:00",
                                    zone: berlin, catchUp: .none)
        #expect(latest == (try Self.expected(["2026-03-30T09:00:00+02:00"], missed: 2, next: "2026-03-31T09:00:00+02:00")))
    }

    // MARK: long downtime stays cheap

    /// Every second, down for ten years: only the most recent slots are looked at.
    @Test(arguments: [(CatchUp.latest, 1), (CatchUp.all, 5), (CatchUp.none, 1)])
    func aSecondsScheduleAfterTenYearsReturnsPromptly(catchUp: CatchUp, fired: Int) throws {
        let clock = ContinuousClock()
        var result: ScheduleSlots? = nil
        let elapsed = try clock.measure {
            result = try Self.slots("* * * * * *", last: "2016-01-01T00:00:00Z", now: "2026-01-01T00:00:00.5Z",
                                    catchUp: catchUp, cap: 5)
        }
        let slots = try #require(result)
        let expected = try (0..<fired).reversed().map { try Self.at("2026-01-01T00:00:00Z").addingTimeInterval(-Double($0)) }
        #expect(slots.fire == expected)
        #expect(slots.next == (try Self.at("2026-01-01T00:00:01Z")))
        // Over 315 million slots were due; `missed` is then a lower bound beyond the exact-count limit.
        #expect(slots.missed > CronExpression.exactSlotCount)
        #expect(slots.missed < 315_619_200)
        #expect(elapsed < .seconds(2), "took \(elapsed)")
    }

    // MARK: against plain enumeration

    /// Windows with more than ``CronExpression/exactSlotCount`` due slots, so the most recent ones
    /// are found backwards, with irregular gaps and daylight-saving changes.
    static let enumerated: [(String, String, String, String, Int)] = [
        ("*/7 9-17 * * 1-5", "UTC", "2026-03-01T00:00:00Z", "2026-04-01T12:34:56Z", 40),
        ("* * * * *", "Europe/Berlin", "2026-10-24T12:00:00+02:00", "2026-10-26T00:00:00+01:00", 100),
        ("30 2 * * *", "Europe/Berlin", "2024-01-01T00:00:00Z", "2027-06-01T00:00:00Z", 400),
        ("30 1 * * *", "America/New_York", "2024-01-01T00:00:00Z", "2027-06-01T00:00:00Z", 500),
        ("*/15 * * * * *", "America/New_York", "2026-03-08T01:00:00-05:00", "2026-03-08T07:00:00-04:00", 30),
        ("0 */2 * * *", "Europe/Berlin", "2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z", 10),
    ]

    @Test(arguments: enumerated)
    func agreesWithEnumeratingEverySlot(expression: String, zone: String, last: String, now: String, cap: Int) throws {
        let cron = try CronExpression(expression)
        let timeZone = try #require(TimeZone(identifier: zone))
        let (start, end) = (try Self.at(last), try Self.at(now))
        var all = cron.nextDates(after: start, in: timeZone, count: 5000)
        let next = all.first { $0 > end }
        all.removeAll { $0 > end }
        for catchUp in CatchUp.allCases {
            let result = cron.dueSlots(lastSlot: start, since: start, now: end, in: timeZone, catchUp: catchUp, cap: cap,
                                       grace: .seconds(86_400 * 365 * 10))
            let fire = Array(all.suffix(catchUp == .all ? cap : 1))
            #expect(result.fire == fire, "\(catchUp)")
            #expect(result.next == next)
            let exactMissed = all.count - fire.count
            // Exact up to the counting limit, a lower bound beyond it.
            #expect(result.missed <= exactMissed)
            #expect(result.missed >= min(exactMissed, CronExpression.exactSlotCount))
        }
    }

    /// The backward search finds the same slot as plain enumeration, between arbitrary bounds.
    @Test(arguments: [
        ("*/7 9-17 * * 1-5", "UTC"), ("30 2 * * *", "Europe/Berlin"), ("30 1 * * *", "America/New_York"),
        ("* * * * *", "Europe/Berlin"), ("0 0 29 2 *", "UTC"), ("0 0 13 * 5", "Australia/Lord_Howe"),
    ])
    func latestSlotAgreesWithEnumeration(expression: String, zone: String) throws {
        let cron = try CronExpression(expression)
        let timeZone = try #require(TimeZone(identifier: zone))
        let floor: Int64 = 1_700_000_000  // November 2023
        let slots = cron.nextDates(after: Date(timeIntervalSince1970: TimeInterval(floor)), in: timeZone, count: 400)
            .map { Int64($0.timeIntervalSince1970) }
        let span = max(slots.last! - floor, 1)
        var random = SplitMix64(seed: 42)
        for _ in 0..<60 {
            let limit = floor + Int64(random.next() % UInt64(span)) + 1
            let hint = Int64(random.next() % 100_000)
            let expected = slots.last { $0 < limit }
            #expect(cron.latestSlot(after: floor, before: limit, hint: hint, in: timeZone) == expected,
                    "before \(limit), hint \(hint)")
        }
    }
}

/// A small deterministic random generator, so failures repeat.
private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

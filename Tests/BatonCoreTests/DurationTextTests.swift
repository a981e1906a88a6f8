import Testing
@testable import BatonCore

struct DurationTextTests {
    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)), ("10s", .seconds(10)), ("5m", .seconds(300)), ("1h30m", .seconds(5400)),
        ("2d", .seconds(172_800)), ("1w", .seconds(604_800)), ("1h0m5s", .seconds(3605)), ("0s", .zero),
        ("1m30s500ms", .milliseconds(90_500)),
    ])
    func parses(_ text: String, _ expected: Duration) throws {
        #expect(try DurationText.parse(text) == expected)
    }

    @Test(arguments: [
        ("", "empty duration; write a number and a unit, like 250ms, 10s, 5m, 1h30m or 2d", 0),
        ("10", "duration '10' has no unit after 10; write a number and a unit, like 250ms, 10s, 5m, 1h30m or 2d", 2),
        ("10 s", "duration '10 s' must not contain spaces; write a number and a unit, like 250ms, 10s, 5m, 1h30m or 2d", 2),
        ("5 minutes", "duration '5 minutes' must not contain spaces; write a number and a unit, like 250ms, 10s, 5m, 1h30m or 2d", 1),
        ("3y", "unknown unit 'y' in duration '3y'; use ms, s, m, h, d or w", 1),
        ("30m1h", "duration '30m1h' repeats or reorders its units; write the largest unit first, like 1h30m", 4),
        ("1s1s", "duration '1s1s' repeats or reorders its units; write the largest unit first, like 1h30m", 3),
        ("-5s", "invalid duration '-5s': expected a number at '-5s'; write a number and a unit, like 250ms, 10s, 5m, 1h30m or 2d", 0),
    ])
    func rejects(_ text: String, _ message: String, _ offset: Int) {
        #expect(throws: DurationText.ParseError(message: message, offset: offset)) {
            try DurationText.parse(text)
        }
    }

    @Test(arguments: ["250ms", "10s", "5m", "1h30m", "2d", "1w1d", "1h0m5s"])
    func formatRoundTrips(_ text: String) throws {
        let duration = try DurationText.parse(text)
        #expect(try DurationText.parse(DurationText.format(duration)) == duration)
    }

    @Test func formatsShortest() {
        #expect(DurationText.format(.seconds(5400)) == "1h30m")
        #expect(DurationText.format(.milliseconds(1500)) == "1s500ms")
        #expect(DurationText.format(.zero) == "0s")
    }

    @Test func rateLimits() throws {
        #expect(try RateLimit(parsing: "5/s") == RateLimit(count: 5, period: .seconds(1)))
        #expect(try RateLimit(parsing: "300/m") == RateLimit(count: 300, period: .seconds(60)))
        #expect(try RateLimit(parsing: "1000/h") == RateLimit(count: 1000, period: .seconds(3600)))
        #expect(try RateLimit(parsing: "450/15m") == RateLimit(count: 450, period: .seconds(900)))
        #expect(throws: DurationText.ParseError.self) { try RateLimit(parsing: "0/s") }
        #expect(throws: DurationText.ParseError.self) { try RateLimit(parsing: "5 per second") }
        #expect(throws: DurationText.ParseError.self) { try RateLimit(parsing: "5/fortnight") }
    }
}

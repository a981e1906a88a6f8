import Foundation
import Testing
@testable import BatonCore

struct ISO8601TimeTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    @Test func formatsWithOffset() {
        let date = Date(timeIntervalSince1970: 1_774_746_000)  // 2026-03-29T01:00:00Z
        #expect(ISO8601Time.format(date) == "2026-03-29T01:00:00Z")
        #expect(ISO8601Time.format(date, in: berlin) == "2026-03-29T03:00:00+02:00")
        #expect(ISO8601Time.format(date.addingTimeInterval(-3600), in: berlin) == "2026-03-29T01:00:00+01:00")
        #expect(ISO8601Time.format(Date(timeIntervalSince1970: 0.25)) == "1970-01-01T00:00:00.250Z")
        #expect(ISO8601Time.format(date, in: TimeZone(identifier: "America/New_York")!) == "2026-03-28T21:00:00-04:00")
    }

    @Test func parsesForms() {
        #expect(ISO8601Time.parse("2026-03-29T01:00:00Z") == Date(timeIntervalSince1970: 1_774_746_000))
        #expect(ISO8601Time.parse("2026-03-29T03:00:00+02:00") == Date(timeIntervalSince1970: 1_774_746_000))
        #expect(ISO8601Time.parse("2026-03-29T03:00:00+0200") == Date(timeIntervalSince1970: 1_774_746_000))
        #expect(ISO8601Time.parse("2026-03-29 01:00Z") == Date(timeIntervalSince1970: 1_774_746_000))
        #expect(ISO8601Time.parse("2026-03-29T03:00", defaultTimeZone: berlin) == Date(timeIntervalSince1970: 1_774_746_000))
        #expect(ISO8601Time.parse("1970-01-01T00:00:00.250Z") == Date(timeIntervalSince1970: 0.25))
        #expect(ISO8601Time.parse("2026-03-29") == Date(timeIntervalSince1970: 1_774_742_400))
    }

    @Test(arguments: ["", "2026", "2026-02-30T00:00:00Z", "2026-13-01", "2026-01-01T25:00Z", "yesterday", "2026-01-01T10:00:00Zjunk"])
    func rejects(_ text: String) {
        #expect(ISO8601Time.parse(text) == nil)
    }
}

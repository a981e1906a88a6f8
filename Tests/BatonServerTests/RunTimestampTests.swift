import BatonCore
import BatonEngine
import Foundation
import Testing

/// The export's integer timestamp writer agrees with ISO8601Time, which the rest of the API uses.
struct RunTimestampTests {
    @Test func agreesWithISO8601TimeOverFourCenturies() {
        var generator = SystemRandomNumberGenerator()
        var dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_774_774_801.75), Date(timeIntervalSince1970: -1),
            Date(timeIntervalSince1970: 951_782_400), Date(timeIntervalSince1970: 4_107_542_399.999),
            Date(timeIntervalSince1970: 1_709_164_800.001),
        ]
        for _ in 0..<2000 {
            // Whole milliseconds, as the store keeps them, from 1900 to 2300.
            let milliseconds = Int64.random(in: -2_208_988_800_000...10_413_792_000_000, using: &generator)
            dates.append(Date(timeIntervalSince1970: Double(milliseconds) / 1000))
        }
        for date in dates {
            #expect(RunTimestamp.format(date) == ISO8601Time.format(date), "\(date.timeIntervalSince1970)")
        }
    }
}

import Foundation

/// How stores represent time: whole Unix milliseconds, so that stored times compare exactly
/// and survive a round trip unchanged.
public enum StoreTime {
    /// `date` as Unix milliseconds, rounded to the nearest one.
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The date at `milliseconds` after the Unix epoch.
    public static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// `date` rounded to what a store keeps.
    public static func truncated(_ date: Date) -> Date {
        self.date(milliseconds: milliseconds(date))
    }

    /// `duration` as whole microseconds.
    static func microseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    /// `duration` as seconds for `Date` arithmetic.
    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

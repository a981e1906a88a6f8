import Foundation

/// A time zone seen as a sequence of constant-offset segments, in whole seconds since 1970.
///
/// Wraps `TimeZone` with the few questions the fire-time search asks: the UTC offset at an
/// instant, where the offset next changes, and whether an instant repeats an earlier wall time.
struct CronZone {
    let timeZone: TimeZone

    init(_ timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// Seconds east of UTC at the instant `seconds`.
    func offset(at seconds: Int64) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
    }

    /// The first instant in `(after, notLaterThan]` whose offset differs from `offset` (the offset
    /// in force just after `after`), or `nil` when the offset holds throughout.
    func transition(after: Int64, notLaterThan end: Int64, offset: Int64) -> Int64? {
        guard end > after else { return nil }
        var cursor = after
        // Foundation also reports transitions that change only the zone's name; skip those.
        for _ in 0..<8 {
            guard let next = timeZone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: TimeInterval(cursor))) else { break }
            let instant = Int64(next.timeIntervalSince1970.rounded(.up))
            guard instant <= end else { break }
            if self.offset(at: instant) != offset { return instant }
            cursor = instant
        }
        // Guard against offset changes Foundation does not report as transitions.
        guard self.offset(at: end) != offset else { return nil }
        return firstChange(after: cursor, through: end, from: offset)
    }

    /// When the instant `seconds` shows a wall time that already occurred (the second pass of a
    /// fall-back), the wall time at which that repetition ends; otherwise `nil`.
    func repeatedWallTimeEnd(at seconds: Int64) -> Int64? {
        let offsetNow = offset(at: seconds)
        // Offset changes are far more than a day apart, so a day back is before any recent one.
        let dayBefore = seconds - 86_400
        let offsetBefore = offset(at: dayBefore)
        guard offsetBefore > offsetNow,
              let change = firstChange(after: dayBefore, through: seconds, from: offsetBefore)
        else { return nil }
        let repeatEnd = change + offsetBefore
        return seconds + offsetNow < repeatEnd ? repeatEnd : nil
    }

    /// Binary search for the first instant in `(low, high]` whose offset is not `offset`, given
    /// that `high` has a different one.
    private func firstChange(after low: Int64, through high: Int64, from offset: Int64) -> Int64? {
        guard self.offset(at: high) != offset else { return nil }
        var (low, high) = (low, high)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if self.offset(at: middle) == offset { low = middle } else { high = middle }
        }
        return high
    }
}

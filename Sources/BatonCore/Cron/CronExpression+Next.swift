import Foundation

extension CronExpression {
    /// How far ahead the search looks before deciding an expression never fires. Long enough for
    /// the rarest schedules that do fire (`0 0 29 2 *` skips up to eight years around 2100; the
    /// fifth Monday of February comes every 28 years or more), short enough to answer at once.
    static let searchHorizonSeconds: Int64 = 60 * 366 * 86_400

    /// The first fire time strictly after `date`, computed in `timeZone`, or `nil` when the
    /// expression does not fire within the next 60 years (e.g. `0 0 30 2 *`).
    ///
    /// Fire times are whole seconds. Across daylight-saving changes a fixed-time job (see
    /// ``isFixedTime``) fires once per listed wall time and day: at the first instant after a
    /// spring-forward gap when its time falls in the gap, and at the first occurrence only when
    /// its time is repeated by a fall-back. A wildcard job follows the wall clock: slots in a gap
    /// do not occur, slots in a repeated hour fire in both occurrences.
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        // Outside about ±3000 years from 1970 there is no calendar worth searching.
        guard seconds.isFinite, abs(seconds) < 1e11 else { return nil }
        let start = Int64(seconds) + 1
        let zone = CronZone(timeZone)
        let fire = isFixedTime ? nextFixedTime(from: start, in: zone) : nextWildcard(from: start, in: zone)
        return fire.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// Up to `count` consecutive fire times strictly after `date`, in order; fewer only when no
    /// further fire time exists within the search horizon, and none when `count <= 0`.
    public func nextDates(after date: Date, in timeZone: TimeZone, count: Int) -> [Date] {
        var dates: [Date] = []
        var cursor = date
        while dates.count < count, let fire = next(after: cursor, in: timeZone) {
            dates.append(fire)
            cursor = fire
        }
        return dates
    }

    /// Wildcard jobs: the first instant at or after `start` whose wall-clock time matches.
    ///
    /// Walks the time zone's constant-offset segments: within one, wall time and instants differ
    /// by a fixed offset, so the wall-clock search result maps straight to an instant.
    private func nextWildcard(from start: Int64, in zone: CronZone) -> Int64? {
        var segmentStart = start
        var offset = zone.offset(at: start)
        var wall = start + offset
        let limit = wall + Self.searchHorizonSeconds
        while true {
            guard let match = firstMatch(atOrAfter: wall, before: limit) else { return nil }
            let candidate = match - offset
            guard let transition = zone.transition(after: segmentStart, notLaterThan: candidate, offset: offset) else {
                return candidate
            }
            // The offset changes before the candidate: continue from the new segment's first wall time,
            // which after a fall-back lies before `match` (the repeated hour).
            segmentStart = transition
            offset = zone.offset(at: transition)
            wall = transition + offset
        }
    }

    /// Fixed-time jobs: the first instant at or after `start` where a matching wall time first
    /// occurs, or where a spring-forward gap that swallowed a matching wall time ends.
    private func nextFixedTime(from start: Int64, in zone: CronZone) -> Int64? {
        var segmentStart = start
        var offset = zone.offset(at: start)
        // `start` may be the very instant a spring-forward gap ends, which is due if the gap
        // swallowed a matching wall time.
        let offsetBefore = zone.offset(at: start - 1)
        if offsetBefore < offset, firstMatch(atOrAfter: start + offsetBefore, before: start + offset) != nil {
            return start
        }
        var wall = start + offset
        // In the second pass of a repeated hour, those wall times already fired the first time.
        if let repeatEnd = zone.repeatedWallTimeEnd(at: start) { wall = max(wall, repeatEnd) }
        guard let match = firstMatch(atOrAfter: wall, before: wall + Self.searchHorizonSeconds) else { return nil }
        while true {
            let candidate = match - offset
            guard let transition = zone.transition(after: segmentStart, notLaterThan: candidate, offset: offset) else {
                return candidate
            }
            let newOffset = zone.offset(at: transition)
            // `match >= transition + offset`; below `transition + newOffset` it is a wall time the
            // spring-forward skipped, which fires as the gap ends.
            if newOffset > offset, match < transition + newOffset { return transition }
            // Otherwise `match` stays the answer: after a spring-forward it lies beyond the gap, and
            // after a fall-back it lies beyond the repeated wall times, which had their first occurrence.
            segmentStart = transition
            offset = newOffset
        }
    }
}

import Foundation

extension CronExpression {
    /// Up to this many due slots are counted one by one, so `missed` is exact after ordinary
    /// downtime; beyond it only the most recent slots are looked at and `missed` is a lower bound.
    static let exactSlotCount = 1024

    /// The slots a scheduler should fire now, how many due slots it skips, and its next wake-up.
    ///
    /// A slot is *due* when it lies strictly after `lastSlot` (the last slot handled, fired or
    /// skipped) or, for a schedule that never ran, strictly after `registeredAt` (so a new schedule
    /// never fires for times before it existed), and at or before `now`. Of the due slots:
    /// - `.all` fires the most recent `cap` (none when `cap <= 0`);
    /// - `.latest` fires the most recent one;
    /// - `.none` fires the most recent one only when it is on time, that is when
    ///   `now - slot <= grace`: the scheduler woke for it rather than finding it after downtime.
    ///
    /// Every due slot not fired counts in `missed`. Afterwards every slot up to `now` has been
    /// handled, so the scheduler passes `now` (or any instant from the most recent due slot up to
    /// it) as the next call's `lastSlot`. `next` is the first slot strictly after `now`, and after
    /// `lastSlot` should the clock have gone back, so a slot never fires twice.
    ///
    /// The work is bounded whatever the downtime. Due slots are walked forward from the start for
    /// at most ``exactSlotCount`` slots; when more remain, the most recent ones are found backwards
    /// from `now`, one at a time, by widening a window until it holds a slot and bisecting it
    /// (`latestSlot`), and `missed` becomes a lower bound: everything walked, plus those found
    /// backwards, plus one for the unseen stretch between. An every-second schedule after ten years
    /// of downtime costs about a thousand `next` calls; with `.all` the cost also grows with `cap`.
    public func dueSlots(
        lastSlot: Date?, since registeredAt: Date, now: Date, in timeZone: TimeZone,
        catchUp: ScheduleTrigger.CatchUp, cap: Int, grace: Duration
    ) -> ScheduleSlots {
        // Slots are whole seconds, so "after start and at or before now" is the integer range
        // (floor(start), floor(now)].
        let start = Self.wholeSeconds(lastSlot ?? registeredAt)
        let end = Self.wholeSeconds(now)
        let wanted = catchUp == .all ? max(0, cap) : 1

        // Walk forward: cheap and exact when few slots are due, which is every ordinary wake-up.
        var walked: [Int64] = []
        var cursor = start
        var next: Int64? = nil
        var walkedAll = false
        while walked.count < Self.exactSlotCount {
            guard let slot = firstSlot(after: cursor, in: timeZone) else { walkedAll = true; break }
            if slot > end {
                (next, walkedAll) = (slot, true)
                break
            }
            walked.append(slot)
            cursor = slot
        }

        var due = walked
        var unseen = 0
        if !walkedAll {
            // Too many to walk: find the most recent `wanted` backwards, stopping at the walked ones.
            var recent: [Int64] = []
            var limit = end + 1
            // The walked slots' spacing is the best guess at the spacing near `now`.
            var gap = walked.count >= 2 ? walked[walked.count - 1] - walked[walked.count - 2] : 1
            while recent.count < wanted, let slot = latestSlot(after: cursor, before: limit, hint: gap, in: timeZone) {
                if let newer = recent.last { gap = newer - slot }
                recent.append(slot)
                limit = slot
            }
            // One more probe tells whether slots lie between the walked and the recent ones.
            if recent.count == wanted, latestSlot(after: cursor, before: limit, hint: gap, in: timeZone) != nil {
                unseen = 1
            }
            due += recent.reversed()
            next = firstSlot(after: end, in: timeZone)
        }

        var fire: ArraySlice<Int64> = due.suffix(wanted)
        if catchUp == .none, let latest = fire.last, !Self.isOnTime(latest, now: now, grace: grace) {
            fire = []
        }
        return ScheduleSlots(
            fire: fire.map(Self.date), missed: due.count + unseen - fire.count, next: next.map(Self.date))
    }

    /// The latest slot in `(floor, limit)`, or nil when there is none, in about `2·log2` calls of
    /// ``next(after:in:)`` over the distance searched.
    ///
    /// Cron offers only "next after", so this searches with it: it widens a window back from
    /// `limit` (starting from `hint`, the expected gap between slots) until the window holds a slot,
    /// then narrows down by bisection to the last one. "Is there a slot in `(p, limit)`?" only
    /// becomes false as `p` grows, which is what makes the bisection sound. For a regular schedule
    /// and a good hint the first window already ends on the answer: two calls.
    func latestSlot(after floor: Int64, before limit: Int64, hint: Int64, in timeZone: TimeZone) -> Int64? {
        guard limit - floor >= 2 else { return nil }
        let span = limit - floor
        var width = min(max(hint, 1), span)
        var low: Int64
        var found: Int64
        while true {
            low = max(floor, limit - 1 - width)
            if let slot = firstSlot(after: low, in: timeZone), slot < limit {
                found = slot
                break
            }
            if low == floor { return nil }
            width = width > span / 2 ? span : width * 2
        }
        // `found` is a slot in the window; when nothing follows it before `limit` it is the last.
        guard let after = firstSlot(after: found, in: timeZone), after < limit else { return found }
        // Bisect, keeping a slot in (low, limit) and none in (high, limit); `after` is one.
        low = after - 1
        var high = limit - 1
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if let slot = firstSlot(after: middle, in: timeZone), slot < limit { low = middle } else { high = middle }
        }
        return firstSlot(after: low, in: timeZone)
    }

    /// ``next(after:in:)`` in whole seconds since 1970.
    private func firstSlot(after seconds: Int64, in timeZone: TimeZone) -> Int64? {
        next(after: Self.date(seconds), in: timeZone).map { Int64($0.timeIntervalSince1970) }
    }

    private static func isOnTime(_ slot: Int64, now: Date, grace: Duration) -> Bool {
        let graceSeconds = Double(grace.components.seconds) + Double(grace.components.attoseconds) / 1e18
        return now.timeIntervalSince1970 - Double(slot) <= graceSeconds
    }

    private static func wholeSeconds(_ date: Date) -> Int64 {
        // Beyond about ±3000 years `next(after:in:)` finds nothing anyway; clamping keeps Int64 safe.
        Int64(max(-1e11, min(1e11, date.timeIntervalSince1970.rounded(.down))))
    }

    private static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }
}

extension CronExpression {
    /// The first wall-clock time (seconds since 1970-01-01 00:00 floating time) at or after `wall`
    /// and before `limit` that every field matches.
    ///
    /// Jumps by field: months that do not match are skipped whole, days one at a time, and the time
    /// of day is found from the fields' bit sets without stepping through minutes.
    func firstMatch(atOrAfter wall: Int64, before limit: Int64) -> Int64? {
        var day = Self.floorDivide(wall, 86_400)
        var secondOfDay = Int(wall - day * 86_400)
        let lastDay = Self.floorDivide(limit - 1, 86_400)
        while day <= lastDay {
            let date = CronCivilDate(days: day)
            guard month.contains(date.month) else {
                day = firstDayOfNextMonth(after: date)
                secondOfDay = 0
                continue
            }
            if matchesDay(date), let time = firstTime(atOrAfter: secondOfDay) {
                let result = day * 86_400 + Int64(time)
                return result < limit ? result : nil
            }
            day += 1
            secondOfDay = 0
        }
        return nil
    }

    /// Whether the day fields allow `date`, with Vixie cron's rule: either one when both are
    /// restricted, both when either is unrestricted (`*`, `*/n`, `?`).
    func matchesDay(_ date: CronCivilDate) -> Bool {
        let byDayOfMonth = dayOfMonth.matchesDayOfMonth(date)
        let byDayOfWeek = dayOfWeek.matchesDayOfWeek(date, weekday: date.weekday)
        if dayOfMonth.isUnrestricted || dayOfWeek.isUnrestricted {
            return byDayOfMonth && byDayOfWeek
        }
        return byDayOfMonth || byDayOfWeek
    }

    /// The first second of the day at or after `secondOfDay` that the time fields match.
    func firstTime(atOrAfter secondOfDay: Int) -> Int? {
        var h = secondOfDay / 3600
        var m = secondOfDay / 60 % 60
        var s = secondOfDay % 60
        while h < 24 {
            guard let nextHour = hour.next(atOrAfter: h), nextHour < 24 else { return nil }
            if nextHour != h { (h, m, s) = (nextHour, 0, 0) }
            if let nextMinute = minute.next(atOrAfter: m), nextMinute < 60 {
                if nextMinute != m { (m, s) = (nextMinute, 0) }
                if let nextSecond = second.next(atOrAfter: s), nextSecond < 60 {
                    return h * 3600 + m * 60 + nextSecond
                }
                // No second left in this minute: try the next minute of the same hour.
                if m < 59 {
                    (m, s) = (m + 1, 0)
                    continue
                }
            }
            (h, m, s) = (h + 1, 0, 0)
        }
        return nil
    }

    /// The day number of the first day of the next month that the month field allows.
    private func firstDayOfNextMonth(after date: CronCivilDate) -> Int64 {
        if let next = month.next(atOrAfter: date.month + 1), next <= 12 {
            return CronCivilDate(year: date.year, month: next, day: 1).daysSinceEpoch
        }
        let first = month.next(atOrAfter: 1) ?? 1
        return CronCivilDate(year: date.year + 1, month: first, day: 1).daysSinceEpoch
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}

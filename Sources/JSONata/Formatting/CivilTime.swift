/// UTC calendar arithmetic on epoch milliseconds (proleptic Gregorian, like JS `Date`), with the
/// ISO 8601 week rules the date/time pictures need.
struct CivilTime: Equatable, Sendable {
    /// Milliseconds in one day.
    static let dayMillis: Int64 = 86_400_000
    /// The largest magnitude of a valid JS `Date` time value.
    static let maxMillis: Double = 8.64e15

    let year: Int64, month: Int64, day: Int64   // month 1...12
    let hour: Int64, minute: Int64, second: Int64, millisecond: Int64
    /// Days since 1970-01-01 of this date.
    let epochDay: Int64
    /// The instant itself, in milliseconds.
    let millis: Int64

    /// Breaks an instant into UTC fields; nil outside JS `Date`'s range. Fractions of a
    /// millisecond are dropped toward zero, as `new Date(x)` does.
    init?(millis value: Double) {
        guard value.isFinite, abs(value) <= CivilTime.maxMillis else { return nil }
        let ms = Int64(value.rounded(.towardZero))
        millis = ms
        epochDay = CivilTime.floorDiv(ms, CivilTime.dayMillis)
        let inDay = ms - epochDay * CivilTime.dayMillis
        (year, month, day) = CivilTime.civil(fromDays: epochDay)
        hour = inDay / 3_600_000
        minute = inDay / 60_000 % 60
        second = inDay / 1000 % 60
        millisecond = inDay % 1000
    }

    /// ISO day of week: 1 = Monday ... 7 = Sunday.
    var weekday: Int64 { CivilTime.weekday(ofDay: epochDay) }

    /// Day of the year, 1-based.
    var dayOfYear: Int64 { epochDay - CivilTime.days(year: year, month: 1, day: 1) + 1 }

    /// Week of the year per ISO 8601 (week 1 holds the first Thursday; weeks start Monday).
    var isoWeekOfYear: Int64 {
        let start = CivilTime.startOfFirstWeek(year: year, month: 1)
        var week = CivilTime.floorDiv(epochDay - start, 7) + 1
        if week > 52 {
            if epochDay >= CivilTime.startOfFirstWeek(year: year + 1, month: 1) { week = 1 }
        } else if week < 1 {
            week = CivilTime.floorDiv(epochDay - CivilTime.startOfFirstWeek(year: year - 1, month: 1), 7) + 1
        }
        return week
    }

    /// Week of the month, the same rule applied to months (XPath F&O extension).
    var weekOfMonth: Int64 {
        let start = CivilTime.startOfFirstWeek(year: year, month: month)
        var week = CivilTime.floorDiv(epochDay - start, 7) + 1
        let (nextYear, nextMonth) = month == 12 ? (year + 1, Int64(1)) : (year, month + 1)
        let (previousYear, previousMonth) = month == 1 ? (year - 1, Int64(12)) : (year, month - 1)
        if week > 4 {
            if epochDay >= CivilTime.startOfFirstWeek(year: nextYear, month: nextMonth) { week = 1 }
        } else if week < 1 {
            week = CivilTime.floorDiv(epochDay - CivilTime.startOfFirstWeek(year: previousYear, month: previousMonth), 7) + 1
        }
        return week
    }

    /// The ISO week-numbering year (e.g. Sat 2005-01-01 belongs to 2004).
    var isoWeekYear: Int64 {
        let startMillis = CivilTime.startOfFirstWeek(year: year, month: 1) * CivilTime.dayMillis
        let endMillis = CivilTime.startOfFirstWeek(year: year + 1, month: 1) * CivilTime.dayMillis
        if millis < startMillis { return year - 1 }
        if millis >= endMillis { return year + 1 }
        return year
    }

    /// The month (1...12) that the week-of-month belongs to.
    var weekMonth: Int64 {
        let (nextYear, nextMonth) = month == 12 ? (year + 1, Int64(1)) : (year, month + 1)
        if millis < CivilTime.startOfFirstWeek(year: year, month: month) * CivilTime.dayMillis {
            return month == 1 ? 12 : month - 1
        }
        if millis >= CivilTime.startOfFirstWeek(year: nextYear, month: nextMonth) * CivilTime.dayMillis {
            return nextMonth
        }
        return month
    }

    /// The epoch day on which week 1 of the given month's year/month starts (its Monday).
    static func startOfFirstWeek(year: Int64, month: Int64) -> Int64 {
        let first = days(year: year, month: month, day: 1)
        let dow = weekday(ofDay: first)
        return dow > 4 ? first + (8 - dow) : first - (dow - 1)
    }

    /// ISO weekday of an epoch day (1970-01-01 was a Thursday).
    static func weekday(ofDay day: Int64) -> Int64 { floorMod(day + 3, 7) + 1 }

    /// Epoch day of a civil date; month may be any integer (it carries into the year).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = year + floorDiv(month - 1, 12)
        let m = floorMod(month - 1, 12) + 1
        // Howard Hinnant's days_from_civil: count from 0000-03-01 in 400-year eras.
        let shiftedYear = m <= 2 ? y - 1 : y
        let era = floorDiv(shiftedYear, 400)
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468 + (day - 1)
    }

    /// Civil date of an epoch day.
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// JS `Date.UTC(y, m0, d, h, mi, s, ms)` with a zero-based month: fields may overflow, and
    /// years 0...99 mean 1900...1999 as in JS.
    static func utcMillis(year: Double, month0: Double, day: Double, hour: Double, minute: Double,
                          second: Double, millisecond: Double) -> Double? {
        let fields = [year, month0, day, hour, minute, second, millisecond]
        guard fields.allSatisfy({ $0.isFinite && abs($0) < 1e15 }) else { return nil }
        var y = Int64(year.rounded(.towardZero))
        if y >= 0 && y <= 99 { y += 1900 }
        let m = Int64(month0.rounded(.towardZero))
        let dayNumber = Double(days(year: y, month: m + 1, day: 1)) + day.rounded(.towardZero) - 1
        let time = hour.rounded(.towardZero) * 3_600_000 + minute.rounded(.towardZero) * 60_000
            + second.rounded(.towardZero) * 1000 + millisecond.rounded(.towardZero)
        let result = dayNumber * Double(dayMillis) + time
        return abs(result) <= maxMillis ? result : nil
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { (a - floorMod(a, b)) / b }
    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { ((a % b) + b) % b }
}

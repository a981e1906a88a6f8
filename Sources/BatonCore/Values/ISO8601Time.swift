import Foundation

/// ISO 8601 times as Baton prints and reads them: `2026-03-29T03:00:00+02:00`.
public enum ISO8601Time {
    /// Formats `date` as wall time in `timeZone` with its UTC offset (`Z` for UTC), with
    /// milliseconds only when they are not zero.
    public static func format(_ date: Date, in timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let millisecondsSinceEpoch = (date.timeIntervalSince1970 * 1000).rounded(.down)
        let whole = Date(timeIntervalSince1970: (millisecondsSinceEpoch / 1000).rounded(.down))
        let milliseconds = Int(millisecondsSinceEpoch - whole.timeIntervalSince1970 * 1000)
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year!, parts.month!, parts.day!,
                          parts.hour!, parts.minute!, parts.second!)
        if milliseconds != 0 { text += String(format: ".%03d", milliseconds) }
        let offset = timeZone.secondsFromGMT(for: whole)
        if offset == 0 && timeZone.identifier == "UTC" || timeZone.identifier == "GMT" && offset == 0 {
            return text + "Z"
        }
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        text += String(format: "%@%02d:%02d", sign, magnitude / 3600, (magnitude % 3600) / 60)
        return text
    }

    /// Parses `YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z` or `±HH:MM` (or `±HHMM`); without an offset
    /// the wall time is read in `timeZone`. A space may stand for the `T`. A date alone means
    /// its midnight.
    public static func parse(_ text: String, defaultTimeZone timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> Date? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= scalars.count else { return nil }
            var value = 0
            for scalar in scalars[index..<index + digits] {
                guard let digit = Int(String(scalar)), scalar.isASCII else { return nil }
                value = value * 10 + digit
            }
            index += digits
            return value
        }
        func expect(_ character: Unicode.Scalar) -> Bool {
            guard index < scalars.count, scalars[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2) else { return nil }
        var hour = 0, minute = 0, second = 0
        var nanoseconds = 0
        var offsetSeconds: Int? = nil
        if index < scalars.count {
            guard expect("T") || expect("t") || expect(" ") else { return nil }
            guard let h = number(2), expect(":"), let m = number(2) else { return nil }
            hour = h; minute = m
            if expect(":") {
                guard let s = number(2) else { return nil }
                second = s
                if expect(".") || expect(",") {
                    var digits = 0
                    var fraction = 0
                    while index < scalars.count, let digit = Int(String(scalars[index])), scalars[index].isASCII {
                        if digits < 9 { fraction = fraction * 10 + digit; digits += 1 }
                        index += 1
                    }
                    guard digits > 0 else { return nil }
                    nanoseconds = fraction * Int(pow(10, Double(9 - digits)))
                }
            }
            if expect("Z") || expect("z") {
                offsetSeconds = 0
            } else if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" {
                let negative = scalars[index] == "-"
                index += 1
                guard let oh = number(2) else { return nil }
                _ = expect(":")
                let om = number(2) ?? 0
                offsetSeconds = (negative ? -1 : 1) * (oh * 3600 + om * 60)
            }
        }
        guard index == scalars.count, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
              second < 61 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = offsetSeconds.flatMap { TimeZone(secondsFromGMT: $0) } ?? timeZone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                                        nanosecond: nanoseconds)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day else { return nil }
        return date
    }
}

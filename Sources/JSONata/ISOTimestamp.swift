/// A fast reader for the common fully-specified ISO 8601 timestamp shapes
/// (`2024-05-01T12:30:00Z`, `...:00.123+02:00`); anything else goes to the general parser.
enum ISOTimestamp {
    static func millis(_ text: String) -> Double? {
        var t = text
        return t.withUTF8 { b -> Double? in
            let n = b.count
            guard n >= 20 else { return nil }
            func digits(_ at: Int, _ count: Int) -> Int? {
                var v = 0
                for i in at..<(at + count) {
                    let c = b[i]
                    guard c >= 0x30 && c <= 0x39 else { return nil }
                    v = v * 10 + Int(c - 0x30)
                }
                return v
            }
            guard let year = digits(0, 4), b[4] == UInt8(ascii: "-"), let month = digits(5, 2), b[7] == UInt8(ascii: "-"),
                let day = digits(8, 2), b[10] == UInt8(ascii: "T"), let hour = digits(11, 2), b[13] == UInt8(ascii: ":"),
                let minute = digits(14, 2), b[16] == UInt8(ascii: ":"), let second = digits(17, 2)
            else { return nil }
            guard (1...12).contains(month), day >= 1, day <= daysIn(month, year), hour < 24, minute < 60, second < 60 else { return nil }
            var i = 19
            var ms = 0
            if i < n && b[i] == UInt8(ascii: ".") {
                guard i + 4 <= n, let f = digits(i + 1, 3) else { return nil }
                ms = f
                i += 4
            }
            var offsetMinutes = 0
            guard i < n else { return nil }
            if b[i] == UInt8(ascii: "Z") {
                i += 1
            } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                guard i + 6 == n, let oh = digits(i + 1, 2), b[i + 3] == UInt8(ascii: ":"), let om = digits(i + 4, 2) else { return nil }
                offsetMinutes = (oh * 60 + om) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
                i += 6
            } else {
                return nil
            }
            guard i == n else { return nil }
            let days = daysFromCivil(year, month, day)
            let secs = ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60 + second
            return Double(secs) * 1000 + Double(ms)
        }
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}

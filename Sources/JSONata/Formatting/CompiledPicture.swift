/// An analysed `$fromMillis` picture turned into rendering steps, kept in ``PictureCache``.
///
/// Workflows format with a few constant pictures thousands of times: the common markers
/// (zero-padded numbers, ordinals, month and day names, am/pm) are written straight into one
/// byte buffer, and only the rest go through ``DateTimePicture/render(_:_:_:)``.
final class CompiledPicture: Sendable {
    /// What a step writes.
    enum Step: Sendable {
        /// Bytes of `text` (kept apart so that reading a step copies no array).
        case literal(Range<Int>)
        /// A decimal component, zero-padded to `digits`, with an English ordinal suffix when `ordinal`.
        case number(DateTimePicture.Component, digits: Int, ordinal: Bool, yearModulus: Int64?)
        /// A month (`M`) or day (`F`) name in a letter case, cut to `maxWidth`.
        case name(DateTimePicture.Component, DateTimePicture.NameCase, maxWidth: Int?)
        /// `am` / `pm`, or `AM` / `PM`.
        case meridiem(upper: Bool)
        /// The zone offset as `+HHMM` digits padded to `digits` with an optional separator
        /// `position` digits from the right, `GMT` first when `gmt`, `Z` for UTC when `utcAsZ`.
        /// (Boxed, like `general`, so that reading any step copies a few words, not a large payload.)
        indirect case offset(digits: Int, separator: (position: Int, bytes: Range<Int>)?, gmt: Bool, utcAsZ: Bool)
        /// Anything else, through the general renderer.
        indirect case general(DateTimePicture.Marker)
    }

    let steps: [Step]
    /// The literal text and separators the steps write, one after the other.
    let text: [UInt8]

    init(_ parts: [DateTimePicture.Part]) {
        var text: [UInt8] = []
        steps = parts.map { Self.step($0, &text) }
        self.text = text
    }

    private static func step(_ part: DateTimePicture.Part, _ text: inout [UInt8]) -> Step {
        switch part {
        case .literal(let literal):
            let start = text.count
            text.append(contentsOf: literal.utf8)
            return .literal(start..<text.count)
        case .marker(let marker):
            guard let component = DateTimePicture.Component(marker.component) else { return offsetStep(marker, &text) ?? .general(marker) }
            if let offset = offsetStep(marker, &text) { return offset }
            if component == .meridiem, marker.minWidth == nil, marker.maxWidth == nil {
                return .meridiem(upper: marker.names == .upper)
            }
            if let names = marker.names, component == .month || component == .weekday {
                let nameCase: DateTimePicture.NameCase = names == .upper ? .upper : names == .lower ? .lower : .title
                return .name(component, nameCase, maxWidth: marker.maxWidth)
            }
            if marker.names == nil, component.isNumeric, let f = marker.integerFormat, f.primary == .decimal,
               f.zeroCode == 0x30, f.separators.isEmpty, f.regularInterval == 0 {
                var modulus: Int64? = nil
                if component == .year, let digits = marker.yearDigits {
                    var m: Int64 = 1
                    for _ in 0..<min(digits, 18) { m *= 10 }
                    modulus = m
                }
                return .number(component, digits: f.mandatoryDigits, ordinal: f.ordinal, yearModulus: modulus)
            }
            return .general(marker)
        }
    }

    /// `[Z]`, `[Z01:01]`, `[Z0101]`, `[z]`, `[Z01:01t]`...: the four-digit forms with ASCII digits
    /// and at most one separator (the one- and two-digit forms, which drop zero minutes, stay
    /// general). A separator the picture repeats every two or more digits (`01:01` is read as
    /// one every two) is written once as well: an offset has at most four digits.
    private static func offsetStep(_ marker: DateTimePicture.Marker, _ text: inout [UInt8]) -> Step? {
        guard marker.component == "Z" || marker.component == "z" else { return nil }
        let f = marker.integerFormat ?? IntegerPicture.Format()
        let oneSeparator = f.regularInterval == 0 || (f.regularInterval >= 2 && f.separators.first?.position == f.regularInterval)
        guard f.primary == .decimal, f.zeroCode == 0x30, oneSeparator, !f.ordinal,
              f.mandatoryDigits == 3 || f.mandatoryDigits == 4, f.separators.count <= 1 else { return nil }
        let separator = f.separators.first.map { separator -> (position: Int, bytes: Range<Int>) in
            let start = text.count
            text.append(contentsOf: String(separator.character).utf8)
            return (separator.position, start..<text.count)
        }
        return .offset(digits: f.mandatoryDigits, separator: separator, gmt: marker.component == "z",
                       utcAsZ: marker.presentationModifier == "t")
    }

    /// The picture's text for `time` in the zone `offset`.
    func render(_ time: CivilTime, _ offset: (hours: Int64, minutes: Int64)) throws(FormattingError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(48)
        for index in steps.indices {
            switch steps[index] {
            case .literal(let range):
                // byte by byte: appending a slice went through the generic copy for a few bytes
                for offset in range { out.append(text[offset]) }
            case .number(let component, let digits, let ordinal, let modulus):
                var value = component.value(time)
                if let modulus { value %= modulus }
                Self.writeDecimal(value, digits: digits, ordinal: ordinal, into: &out)
            case .name(let component, let nameCase, let maxWidth):
                let index = Int(component.value(time)) - 1
                let name = component == .month ? DateTimePicture.monthNames[index] : DateTimePicture.dayNames[index]
                var count = 0
                for byte in name.utf8 {
                    if let maxWidth, count == maxWidth { break }
                    switch nameCase {
                    case .upper: out.append(byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte)
                    case .lower: out.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
                    case .title: out.append(byte)
                    }
                    count += 1
                }
            case .meridiem(let upper):
                let pm = time.hour >= 12
                out.append(contentsOf: upper ? (pm ? [0x50, 0x4D] : [0x41, 0x4D]) : (pm ? [0x70, 0x6D] : [0x61, 0x6D]))
            case .offset(let digits, let separator, let gmt, let utcAsZ):
                let combined = offset.hours * 100 + offset.minutes
                if combined == 0 && utcAsZ {
                    out.append(0x5A)  // Z
                    continue
                }
                if gmt { out.append(contentsOf: [0x47, 0x4D, 0x54]) }  // GMT
                out.append(combined < 0 ? 0x2D : 0x2B)
                let start = out.count
                Self.writeDecimal(abs(combined), digits: digits, ordinal: false, into: &out)
                if let separator, separator.position < out.count - start {
                    var at = out.count - separator.position
                    for offset in separator.bytes {
                        out.insert(text[offset], at: at)
                        at += 1
                    }
                }
            case .general(let marker):
                out.append(contentsOf: try DateTimePicture.render(marker, time, offset).utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `value` in decimal, zero-padded to `digits`, a minus sign first, then "st"/"nd"/"rd"/"th" when `ordinal`.
    private static func writeDecimal(_ value: Int64, digits: Int, ordinal: Bool, into out: inout [UInt8]) {
        let magnitude = value.magnitude
        var divisor: UInt64 = 1, count = 1
        while magnitude / divisor >= 10 {
            divisor *= 10
            count += 1
        }
        if value < 0 { out.append(0x2D) }
        if count < digits { for _ in count..<digits { out.append(0x30) } }
        while divisor > 0 {
            out.append(UInt8(truncatingIfNeeded: magnitude / divisor % 10) + 0x30)
            divisor /= 10
        }
        if ordinal {
            let last = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
            let tensIsOne = count > 1 && magnitude / 10 % 10 == 1
            switch last {
            case 0x31 where !tensIsOne: out.append(contentsOf: [0x73, 0x74])  // st
            case 0x32 where !tensIsOne: out.append(contentsOf: [0x6E, 0x64])  // nd
            case 0x33 where !tensIsOne: out.append(contentsOf: [0x72, 0x64])  // rd
            default: out.append(contentsOf: [0x74, 0x68])  // th
            }
        }
    }
}

extension DateTimePicture {
    /// The components a compiled picture writes itself.
    enum Component: Sendable, Equatable {
        case year, month, day, dayOfYear, weekday, isoWeek, monthWeek, isoWeekYear, weekMonth
        case hour, hour12, minute, second, millisecond, meridiem

        init?(_ letter: Character) {
            switch letter {
            case "Y": self = .year
            case "M": self = .month
            case "D": self = .day
            case "d": self = .dayOfYear
            case "F": self = .weekday
            case "W": self = .isoWeek
            case "w": self = .monthWeek
            case "X": self = .isoWeekYear
            case "x": self = .weekMonth
            case "H": self = .hour
            case "h": self = .hour12
            case "m": self = .minute
            case "s": self = .second
            case "f": self = .millisecond
            case "P": self = .meridiem
            default: return nil
            }
        }

        var isNumeric: Bool { self != .meridiem }

        /// The component's number at `t` (am/pm as 0 or 1).
        func value(_ t: CivilTime) -> Int64 {
            switch self {
            case .year: t.year
            case .month: t.month
            case .day: t.day
            case .dayOfYear: t.dayOfYear
            case .weekday: t.weekday
            case .isoWeek: t.isoWeekOfYear
            case .monthWeek: t.weekOfMonth
            case .isoWeekYear: t.isoWeekYear
            case .weekMonth: t.weekMonth
            case .hour: t.hour
            case .hour12: t.hour % 12 == 0 ? 12 : t.hour % 12
            case .minute: t.minute
            case .second: t.second
            case .millisecond: t.millisecond
            case .meridiem: t.hour >= 12 ? 1 : 0
            }
        }
    }

    /// How a compiled picture writes a name.
    enum NameCase: Sendable {
        case upper, lower, title
    }
}

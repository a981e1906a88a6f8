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
    /// The most bytes the steps other than `general` can write.
    let fixedCapacity: Int
    /// Whether a step goes through the general renderer.
    let hasGeneral: Bool

    init(_ parts: [DateTimePicture.Part]) {
        var text: [UInt8] = []
        steps = parts.map { Self.step($0, &text) }
        self.text = text
        let longestName = (DateTimePicture.monthNames + DateTimePicture.dayNames).map(\.utf8.count).max() ?? 0
        var capacity = 0
        var general = false
        for step in steps {
            switch step {
            case .literal(let range): capacity += range.count
            // a sign, up to 19 digits or the padding, and an ordinal suffix
            case .number(_, let digits, _, _): capacity += max(digits, 20) + 3
            case .name(_, _, let maxWidth): capacity += min(maxWidth ?? longestName, longestName)
            case .meridiem: capacity += 2
            case .offset(let digits, let separator, _, _): capacity += 4 + max(digits, 20) + (separator?.bytes.count ?? 0)
            case .general: general = true
            }
        }
        fixedCapacity = capacity
        hasGeneral = general
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

    /// The picture's text for `time` in the zone `offset`, written once into a buffer (sized for
    /// the most the steps can write) after the general markers' texts.
    func render(_ time: CivilTime, _ offset: (hours: Int64, minutes: Int64)) throws(FormattingError) -> String {
        var generalTexts: [String] = []
        var capacity = fixedCapacity
        if hasGeneral {
            for index in steps.indices {
                guard case .general(let marker) = steps[index] else { continue }
                let rendered = try DateTimePicture.render(marker, time, offset)
                capacity += rendered.utf8.count
                generalTexts.append(rendered)
            }
        }
        // every piece is valid UTF-8: the picture's own text, digits, names and rendered texts
        return stringOfValidUTF8(capacity: capacity) { base in
            var at = 0
            var nextGeneral = 0
            for index in steps.indices {
                switch steps[index] {
                case .literal(let range):
                    text.withUnsafeBufferPointer { bytes in
                        if let start = bytes.baseAddress { (base + at).initialize(from: start + range.lowerBound, count: range.count) }
                    }
                    at += range.count
                case .number(let component, let digits, let ordinal, let modulus):
                    var value = component.value(time)
                    if let modulus { value %= modulus }
                    at = Self.writeDecimal(value, digits: digits, ordinal: ordinal, into: base, at: at)
                case .name(let component, let nameCase, let maxWidth):
                    let index = Int(component.value(time)) - 1
                    let name = component == .month ? DateTimePicture.monthNames[index] : DateTimePicture.dayNames[index]
                    var count = 0
                    for byte in name.utf8 {
                        if let maxWidth, count == maxWidth { break }
                        switch nameCase {
                        case .upper: base[at] = byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
                        case .lower: base[at] = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
                        case .title: base[at] = byte
                        }
                        at += 1
                        count += 1
                    }
                case .meridiem(let upper):
                    let pm = time.hour >= 12
                    base[at] = upper ? (pm ? 0x50 : 0x41) : (pm ? 0x70 : 0x61)  // P / A
                    base[at + 1] = upper ? 0x4D : 0x6D  // M
                    at += 2
                case .offset(let digits, let separator, let gmt, let utcAsZ):
                    let combined = offset.hours * 100 + offset.minutes
                    if combined == 0 && utcAsZ {
                        base[at] = 0x5A  // Z
                        at += 1
                        continue
                    }
                    if gmt {
                        base[at] = 0x47; base[at + 1] = 0x4D; base[at + 2] = 0x54  // GMT
                        at += 3
                    }
                    base[at] = combined < 0 ? 0x2D : 0x2B
                    at += 1
                    let start = at
                    at = Self.writeDecimal(abs(combined), digits: digits, ordinal: false, into: base, at: at)
                    if let separator, separator.position < at - start {
                        // the separator goes `position` digits from the right: move those along
                        let insertAt = at - separator.position
                        let width = separator.bytes.count
                        (base + insertAt + width).moveInitialize(from: base + insertAt, count: at - insertAt)
                        for (k, offset) in separator.bytes.enumerated() { base[insertAt + k] = text[offset] }
                        at += width
                    }
                case .general:
                    at += writeUTF8(generalTexts[nextGeneral], to: base + at)
                    nextGeneral += 1
                }
            }
            return at
        }
    }

    /// Writes `value` in decimal at `base + at`, zero-padded to `digits`, a minus sign first, then
    /// "st"/"nd"/"rd"/"th" when `ordinal`; returns where the writing ended.
    private static func writeDecimal(_ value: Int64, digits: Int, ordinal: Bool, into base: UnsafeMutablePointer<UInt8>, at start: Int) -> Int {
        let magnitude = value.magnitude
        var count = 1
        var rest = magnitude / 10
        while rest > 0 {
            rest /= 10
            count += 1
        }
        var at = start
        if value < 0 {
            base[at] = 0x2D
            at += 1
        }
        if count < digits {
            for _ in count..<digits {
                base[at] = 0x30
                at += 1
            }
        }
        rest = magnitude
        var position = at + count - 1
        repeat {
            base[position] = UInt8(truncatingIfNeeded: rest % 10) + 0x30
            rest /= 10
            position -= 1
        } while rest > 0
        at += count
        if ordinal {
            let last = magnitude % 10
            let tensIsOne = magnitude / 10 % 10 == 1
            let suffix: (UInt8, UInt8)
            switch last {
            case 1 where !tensIsOne: suffix = (0x73, 0x74)  // st
            case 2 where !tensIsOne: suffix = (0x6E, 0x64)  // nd
            case 3 where !tensIsOne: suffix = (0x72, 0x64)  // rd
            default: suffix = (0x74, 0x68)  // th
            }
            base[at] = suffix.0
            base[at + 1] = suffix.1
            at += 2
        }
        return at
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

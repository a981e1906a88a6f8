/// Writing each date/time component of a marker.
extension DateTimePicture {
    static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]

    /// The numeric value of an integer-valued component (nil for P, C, E, Z, z).
    static func value(of component: Character, _ t: CivilTime) -> Int64? {
        guard let known = Component(component), known.isNumeric else { return nil }
        return known.value(t)
    }

    /// The text for one marker at time `t` in the zone `offset`.
    static func render(_ marker: Marker, _ t: CivilTime, _ offset: (hours: Int64, minutes: Int64)) throws(FormattingError) -> String {
        switch marker.component {
        case "P":
            let text = t.hour >= 12 ? "pm" : "am"
            return marker.names == .upper ? text.uppercased() : text
        case "C", "E":
            return "ISO"
        case "Z", "z":
            return try renderOffset(marker, offset)
        default:
            break
        }
        guard var number = value(of: marker.component, t) else { return "" }
        if let names = marker.names {
            var name: String
            switch marker.component {
            case "M", "x": name = monthNames[Int(number) - 1]
            case "F": name = dayNames[Int(number) - 1]
            default: throw FormattingError.quoting("D3133", String(marker.component))
            }
            if names == .upper { name = name.uppercased() } else if names == .lower { name = name.lowercased() }
            if let maxWidth = marker.maxWidth, name.count > maxWidth { name = String(name.prefix(maxWidth)) }
            return name
        }
        if marker.component == "Y", let digits = marker.yearDigits {
            var modulus: Int64 = 1
            for _ in 0..<min(digits, 18) { modulus *= 10 }
            number %= modulus
        }
        guard let format = marker.integerFormat else { return String(number) }
        return try IntegerPicture.format(Double(number), analysed: format)
    }

    /// F&O 9.8.4.6 offsets: `[Z01:01]` = +05:30, `[Z0]` = +5:30, `[Z0101]` = +0530, `[z]` adds
    /// "GMT", and the `t` modifier writes "Z" for UTC. Throws D3134 for more than four digits.
    private static func renderOffset(_ marker: Marker, _ offset: (hours: Int64, minutes: Int64)) throws(FormattingError) -> String {
        let format = marker.integerFormat ?? IntegerPicture.Format()
        let combined = offset.hours * 100 + offset.minutes
        // Digits are written from magnitudes and the sign put in front, so that negative
        // offsets with minutes read "-05:30" (the reference garbles those).
        let negative = combined < 0
        var text: String
        if format.regularInterval > 0 {
            text = try IntegerPicture.format(Double(abs(combined)), analysed: format)
        } else {
            switch format.mandatoryDigits {
            case 1, 2:
                text = try IntegerPicture.format(Double(abs(offset.hours)), analysed: format)
                if offset.minutes != 0 {
                    let minutes = abs(offset.minutes)
                    text += ":" + (minutes < 10 ? "0" : "") + String(minutes)
                }
            case 3, 4:
                text = try IntegerPicture.format(Double(abs(combined)), analysed: format)
            default:
                throw FormattingError("D3134")
            }
        }
        text = (negative ? "-" : "+") + text
        if marker.component == "z" { text = "GMT" + text }
        if combined == 0 && marker.presentationModifier == "t" { text = "Z" }
        return text
    }
}

/// Turns the components read from a date/time string into epoch millis, following the
/// reference's rules for which combinations are enough and how gaps are filled.
struct DateTimeAssembly {
    /// Component letter -> value read (P: 0 = am, 1 = pm; Z/z: offset minutes).
    var components: [Character: Double]
    /// The evaluation's `$now()` in epoch millis, for the leading components not given.
    let now: Double

    /// The instant, nil if `now` is unusable. Throws D3136 when the components given leave a
    /// gap (e.g. hours and seconds without minutes) or use week dates, which are not supported.
    func millis() throws(FormattingError) -> Double? {
        var c = components
        // Like the reference, a component read as 0 counts as absent when choosing the shape.
        func bits(_ letters: String) -> Int {
            letters.reduce(0) { ($0 << 1) | ((c[$1].map { $0 != 0 } ?? false) ? 1 : 0) }
        }
        func isShape(_ shape: Int, _ mask: Int) -> Bool { (~shape & mask) == 0 && (shape & mask) != 0 }
        let dateMask = bits("YXMxWwdD")
        let dateA = isShape(0b1010_0001, dateMask)            // Y M D
        let dateB = !dateA && isShape(0b1000_0010, dateMask)  // Y d
        let dateC = isShape(0b0101_0100, dateMask)            // X x w (F)
        let dateD = !dateC && isShape(0b0100_1000, dateMask)  // X W (F)
        let timeMask = bits("PHhmsf")
        let timeA = isShape(0b01_0111, timeMask)              // H m s f
        let timeB = !timeA && isShape(0b10_1111, timeMask)    // P h m s f

        let order = (dateB ? "Yd" : dateC ? "XxwF" : dateD ? "XWF" : "YMD") + (timeB ? "Phmsf" : "Hmsf")
        guard let current = CivilTime(millis: now) else { return nil }
        var started = false, ended = false
        for letter in order {
            if c[letter] == nil {
                if started {
                    c[letter] = "MDd".contains(letter) ? 1 : 0
                    ended = true
                } else {
                    // Before the first given component: take it from now. An unspecified am/pm
                    // never turns into pm (the reference compares a string with 1 there).
                    c[letter] = letter == "P" ? -1 : DateTimePicture.value(of: letter, current).map(Double.init)
                }
            } else {
                started = true
                if ended { throw FormattingError("D3136") }
            }
        }
        var month0 = (c["M"] ?? 0) > 0 ? c["M"]! - 1 : 0
        var day = c["D"] ?? 1
        if dateB {
            let firstJan = CivilTime.days(year: Int64(c["Y"] ?? 1970), month: 1, day: 1)
            guard let dayOfYear = c["d"], dayOfYear.isFinite, abs(dayOfYear) < 1e7 else { return nil }
            let date = CivilTime.civil(fromDays: firstJan + Int64(dayOfYear) - 1)
            month0 = Double(date.1 - 1)
            day = Double(date.2)
        }
        if dateC || dateD { throw FormattingError("D3136") }
        var hour = c["H"] ?? 0
        if timeB {
            let h12 = c["h"] ?? 0
            hour = h12 == 12 ? 0 : h12
            if c["P"] == 1 { hour += 12 }
        }
        guard var millis = CivilTime.utcMillis(year: c["Y"] ?? 0, month0: month0, day: day, hour: hour,
                                               minute: c["m"] ?? 0, second: c["s"] ?? 0, millisecond: c["f"] ?? 0)
        else { return nil }
        if let offset = c["Z"] ?? c["z"], offset != 0 { millis -= offset * 60_000 }
        return millis
    }
}

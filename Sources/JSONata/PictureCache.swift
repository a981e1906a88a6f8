import Synchronization

/// Caches analysed date/time pictures: workflows format with the same few pictures over and over.
enum PictureCache {
    static let analysed = Mutex<[String: [DateTimePicture.Part]]>([:])

    static func parts(_ picture: String) throws(FormattingError) -> [DateTimePicture.Part] {
        if let hit = analysed.withLock({ $0[picture] }) { return hit }
        let parts = try DateTimePicture.analyse(picture)
        analysed.withLock { cache in
            if cache.count > 256 { cache.removeAll() }
            cache[picture] = parts
        }
        return parts
    }

    /// Plain zero-padded decimal components (`[Y0001]`, `[M01]`, `[H01]`, ...) written directly;
    /// nil when the marker needs the general renderer.
    static func plainNumber(_ marker: DateTimePicture.Marker, _ t: CivilTime) -> String? {
        guard marker.names == nil, marker.yearDigits == nil, let f = marker.integerFormat,
            f.primary == .decimal, !f.ordinal, f.zeroCode == 0x30, f.separators.isEmpty, f.regularInterval == 0,
            let number = DateTimePicture.value(of: marker.component, t)
        else { return nil }
        let digits = String(abs(number))
        let pad = f.mandatoryDigits - digits.utf8.count
        let body = pad > 0 ? String(repeating: "0", count: pad) + digits : digits
        return number < 0 ? "-" + body : body
    }

    /// `DateTimePicture.format` with the picture analysis cached.
    static func format(millis: Double, picture: String?, timezone: String?) throws(FormattingError) -> String? {
        let parts = try self.parts(picture ?? DateTimePicture.isoPicture)
        let offset = timezone.flatMap(DateTimePicture.parseOffset) ?? (0, 0)
        guard let time = CivilTime(millis: millis + Double(offset.hours * 60 + offset.minutes) * 60_000) else {
            return nil
        }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .marker(let marker):
                if let fast = plainNumber(marker, time) {
                    out += fast
                } else {
                    out += try DateTimePicture.render(marker, time, offset)
                }
            }
        }
        return out
    }
}

import Synchronization

/// Caches compiled date/time pictures: workflows format with the same few pictures over and over.
enum PictureCache {
    static let compiled = Mutex<[String: CompiledPicture]>([:])

    /// The compiled form of `picture`, analysed once (at most 256 pictures kept).
    static func picture(_ picture: String) throws(FormattingError) -> CompiledPicture {
        if let hit = compiled.withLock({ $0[picture] }) { return hit }
        let result = CompiledPicture(try DateTimePicture.analyse(picture))
        compiled.withLock { cache in
            if cache.count > 256 { cache.removeAll() }
            cache[picture] = result
        }
        return result
    }

    /// `DateTimePicture.format` with the picture compiled once.
    static func format(millis: Double, picture: String?, timezone: String?) throws(FormattingError) -> String? {
        let compiled = try self.picture(picture ?? DateTimePicture.isoPicture)
        let offset = timezone.flatMap(DateTimePicture.parseOffset) ?? (0, 0)
        guard let time = CivilTime(millis: millis + Double(offset.hours * 60 + offset.minutes) * 60_000) else {
            return nil
        }
        return try compiled.render(time, offset)
    }
}

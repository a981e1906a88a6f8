import Synchronization

/// Caches compiled date/time pictures: workflows format with the same few pictures over and over.
enum PictureCache {
    /// Every compiled picture by its text, and the few used last, which are found by comparing
    /// texts (a picture from an expression is the same string every time) instead of hashing.
    struct Entries {
        var all: [String: CompiledPicture] = [:]
        var recent: [(picture: String, compiled: CompiledPicture)] = []
    }

    static let compiled = Mutex(Entries())

    /// The compiled form of `picture`, analysed once (at most 256 pictures kept).
    static func picture(_ picture: String) throws(FormattingError) -> CompiledPicture {
        let hit = compiled.withLock { cache -> CompiledPicture? in
            for entry in cache.recent where entry.picture == picture { return entry.compiled }
            guard let found = cache.all[picture] else { return nil }
            remember(picture, found, in: &cache)
            return found
        }
        if let hit { return hit }
        let result = CompiledPicture(try DateTimePicture.analyse(picture))
        compiled.withLock { cache in
            if cache.all.count > 256 { cache.all.removeAll() }
            cache.all[picture] = result
            remember(picture, result, in: &cache)
        }
        return result
    }

    private static func remember(_ picture: String, _ compiled: CompiledPicture, in cache: inout Entries) {
        if cache.recent.count == 8 { cache.recent.removeFirst() }
        cache.recent.append((picture, compiled))
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

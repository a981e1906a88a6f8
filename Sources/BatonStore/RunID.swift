import Foundation

/// Generates run ids: 26 characters of Crockford base32 (ULID layout), 48 bits of Unix
/// milliseconds then 80 random bits, so ids sort by creation time.
public enum RunID {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// A new id whose time part is `now`.
    public static func make(now: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(now: now, using: &generator)
    }

    /// A new id whose time part is `now`, with randomness from `generator` (for reproducible tests).
    public static func make<G: RandomNumberGenerator>(now: Date, using generator: inout G) -> String {
        let millis = UInt64(max(0, StoreTime.milliseconds(now))) & 0xFFFF_FFFF_FFFF
        var bytes = [UInt8](repeating: 0, count: 26)
        // 10 characters × 5 bits = 50 bits for the 48-bit time, high bits first.
        for index in 0..<10 {
            bytes[9 - index] = alphabet[Int((millis >> (5 * UInt64(index))) & 31)]
        }
        // 16 characters × 5 bits = 80 random bits.
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        for index in 0..<16 {
            let word = index < 8 ? high : low
            bytes[10 + index] = alphabet[Int((word >> (5 * UInt64(index % 8))) & 31)]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

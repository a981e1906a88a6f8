/// `$formatBase(number, radix)`: an integer in another number base, as the reference does it.
enum BaseFormat {
    /// Rounds `value` half-to-even (the reference's `$round`), rounds `radix` the same way
    /// (default 10) and writes the value in lower-case digits of that base. Throws D3100 when
    /// the rounded radix is outside 2...36. Non-finite values come back as JS writes them.
    static func format(_ value: Double, radix: Double? = nil) throws(FormattingError) -> String {
        let base = radix.map { NumberText.roundHalfEven($0) } ?? 10
        guard base >= 2 && base <= 36 else {
            throw FormattingError("D3100", value: NumberText.json(base))
        }
        let integer = NumberText.roundHalfEven(value)
        guard integer.isFinite else { return NumberText.json(integer) }
        // Base 10 is JS `String(n)`, which switches to exponent form from 1e21.
        if base == 10 { return NumberText.json(integer) }
        let digits = digitsOf(abs(integer), radix: UInt32(base))
        return (integer < 0 ? "-" : "") + digits
    }

    /// The exact digits of a non-negative integer-valued double in `radix`.
    private static func digitsOf(_ magnitude: Double, radix: UInt32) -> String {
        if magnitude == 0 { return "0" }
        // The value is significand × 2^shift exactly; hold it as base-2^32 limbs (least
        // significant first) so integers above 2^64 still convert exactly, like V8 does.
        let significand = magnitude.significandBitPattern | (1 << 52)
        let shift = Int(magnitude.exponent) - 52
        var limbs: [UInt32] = [UInt32(truncatingIfNeeded: significand), UInt32(truncatingIfNeeded: significand >> 32)]
        if shift > 0 {
            limbs = shiftedLeft(limbs, by: shift)
        } else if shift < 0 {
            let value = significand >> UInt64(-shift)  // exact: the value is an integer
            limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        }
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        var out: [Character] = []
        while limbs.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for i in stride(from: limbs.count - 1, through: 0, by: -1) {
                let current = (remainder << 32) | UInt64(limbs[i])
                limbs[i] = UInt32(current / UInt64(radix))
                remainder = current % UInt64(radix)
            }
            out.append(alphabet[Int(remainder)])
        }
        return String(out.reversed())
    }

    /// `limbs` × 2^bits.
    private static func shiftedLeft(_ limbs: [UInt32], by bits: Int) -> [UInt32] {
        var result = [UInt32](repeating: 0, count: bits / 32) + limbs + [0]
        let partial = bits % 32
        if partial > 0 {
            var carry: UInt32 = 0
            for i in (bits / 32)..<result.count {
                let wide = (UInt64(result[i]) << UInt64(partial)) | UInt64(carry)
                result[i] = UInt32(truncatingIfNeeded: wide)
                carry = UInt32(truncatingIfNeeded: wide >> 32)
            }
        }
        return result
    }
}

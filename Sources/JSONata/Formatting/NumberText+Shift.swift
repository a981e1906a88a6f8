/// `x` × 10^places without reading text back, for `$round`: the reference shifts the decimal
/// text of `x` and parses the result; these give the same double whenever they answer.
extension NumberText {
    /// A whole number below 2^53 times or over an exact power of ten (10^22 at most) is what
    /// parsing "digits e n" gives: both are the correctly rounded exact result (the shift back
    /// after rounding is always this case).
    static func wholeShifted(_ x: Double, by n: Int) -> Double? {
        guard x == x.rounded(.towardZero), x.magnitude < 9_007_199_254_740_992, n != 0, n.magnitude <= 22 else { return nil }
        let power = exactPowersOfTen[Int(n.magnitude)]
        return n > 0 ? x * power : x / power
    }

    /// The value of the decimal text `digits` (Swift's shortest form of a finite Double, such as
    /// `-123.45` or `1.5e-07`) times 10^n, when it can be had exactly without parsing text: its
    /// digits as an integer times a whole power of ten is exact in 128 bits, and converting that
    /// integer rounds once, to nearest even, as parsing the text would. Nil otherwise.
    static func exactlyShifted(_ digits: UnsafeBufferPointer<UInt8>, by n: Int) -> Double? {
        var i = 0
        var negative = false
        if i < digits.count && digits[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var mantissa: UInt64 = 0
        var significant = 0
        var fraction = 0
        var afterPoint = false
        while i < digits.count {
            let c = digits[i]
            if c == UInt8(ascii: ".") {
                afterPoint = true
            } else if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                if significant > 0 || c != UInt8(ascii: "0") { significant += 1 }
                guard significant <= 18 else { return nil }
                mantissa = mantissa &* 10 &+ UInt64(c &- UInt8(ascii: "0"))
                if afterPoint { fraction += 1 }
            } else {
                break
            }
            i += 1
        }
        var exponent = 0
        if i < digits.count {
            guard digits[i] == UInt8(ascii: "e"), i + 1 < digits.count else { return nil }
            i += 1
            var negativeExponent = false
            if digits[i] == UInt8(ascii: "+") || digits[i] == UInt8(ascii: "-") {
                negativeExponent = digits[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < digits.count else { return nil }
            while i < digits.count {
                let c = digits[i]
                guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"), exponent < 1000 else { return nil }
                exponent = exponent * 10 + Int(c - UInt8(ascii: "0"))
                i += 1
            }
            if negativeExponent { exponent = -exponent }
        }
        let power = exponent - fraction + n
        let value: Double
        if mantissa == 0 {
            value = 0
        } else if power >= 0 {
            // 10^18 times 10^20 stays below 2^128
            guard power <= 20 else { return nil }
            value = roundedDouble(UInt128(mantissa) &* powerOfTen128(power), scaledBy: 0)
        } else {
            // The quotient of the digits, moved to the top of 128 bits, by 10^-power keeps at least
            // 56 bits; a remainder is folded into its lowest bit so that the conversion still
            // rounds as the exact quotient would; the scaling back by a power of two is exact.
            guard power >= -21 else { return nil }
            let shift = 127 - (64 - mantissa.leadingZeroBitCount)
            let (quotient, remainder) = (UInt128(mantissa) << shift).quotientAndRemainder(dividingBy: powerOfTen128(-power))
            value = roundedDouble(quotient | (remainder == 0 ? 0 : 1), scaledBy: -shift)
        }
        return negative ? -value : value
    }

    /// `value` times 2^scale, rounded once to nearest even. The top 64 bits of `value`, with any
    /// lower bit folded into the lowest, round as the whole would (the generic integer conversion
    /// gives the same result through much slower unspecialised code).
    @inline(__always) private static func roundedDouble(_ value: UInt128, scaledBy scale: Int) -> Double {
        let excess = 64 - value.leadingZeroBitCount
        if excess <= 0 { return Double(sign: .plus, exponent: scale, significand: Double(UInt64(truncatingIfNeeded: value))) }
        let lost: UInt128 = (1 << excess) - 1
        let top = UInt64(truncatingIfNeeded: value >> excess) | (value & lost == 0 ? 0 : 1)
        return Double(sign: .plus, exponent: scale + excess, significand: Double(top))
    }

    @inline(__always) private static func powerOfTen128(_ power: Int) -> UInt128 {
        var result: UInt128 = 1
        for _ in 0..<power { result &*= 10 }
        return result
    }
}

/// 10^0 ... 10^22, every one exactly representable as a Double.
private let exactPowersOfTen: [Double] = (0...22).map { power in
    var value = 1.0
    for _ in 0..<power { value *= 10 }
    return value
}


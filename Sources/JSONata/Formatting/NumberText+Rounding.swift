#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// JavaScript's rounding primitives (`Math.round`, `toFixed`) and the reference's `$round`.
extension NumberText {
    /// The reference's `$round(x, precision)`: half-to-even on the shortest decimal text of `x`
    /// (the shift by 10^precision is done on the text, not by multiplying), `-0` folded to `0`.
    static func roundHalfEven(_ x: Double, precision: Int = 0) -> Double {
        guard x.isFinite else { return x }
        var value = x
        if precision != 0 { value = shifted(value, by: precision) }
        var result = mathRound(value)
        // Math.round sends ties up; a tie that landed on an odd number goes back down to even.
        if abs(result - value) == 0.5 && abs(result.truncatingRemainder(dividingBy: 2)) == 1 {
            result -= 1
        }
        if precision != 0 { result = shifted(result, by: -precision) }
        return result == 0 ? 0 : result
    }

    /// JS `Math.round`: the nearest integer, exact ties toward +infinity.
    static func mathRound(_ x: Double) -> Double {
        guard x.isFinite else { return x }
        let floor = x.rounded(.down)
        // x - floor is exact for doubles, so no double-rounding as with floor(x + 0.5).
        let rounded = x - floor >= 0.5 ? floor + 1 : floor
        return rounded == 0 && x.sign == .minus ? -0.0 : rounded
    }

    /// `x` × 10^places done the reference's way: by editing the exponent of `String(x)` and
    /// reading the text back, which avoids the binary error of a multiplication.
    static func shifted(_ x: Double, by places: Int) -> Double {
        if let whole = wholeShifted(x, by: places) { return whole }
        var shortest = x.description
        if let exact = shortest.withUTF8({ exactlyShifted($0, by: places) }) { return exact }
        let text = json(x)
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(of: "e") {
            mantissa = text[..<e]
            var tail = text[text.index(after: e)...]
            if tail.first == "+" { tail = tail.dropFirst() }
            exponent = Int(tail) ?? 0
        }
        return Double("\(mantissa)e\(exponent + places)") ?? x
    }

    /// JS `x.toFixed(digits)` for `x` >= 0: exact decimal value rounded half-up at `digits`
    /// places; values from 1e21 up fall back to `String(x)` as in JS.
    static func toFixed(_ x: Double, _ digits: Int) -> String {
        if !x.isFinite || x >= 1e21 { return json(x) }
        guard let wide = fixedText(x, digits + 25) else { return json(x) }
        let point = wide.firstIndex(of: ".")!
        let intDigits = Array(wide[..<point])
        let fraction = Array(wide[wide.index(after: point)...])
        var kept = intDigits + fraction[0..<digits]
        let rest = fraction[digits...]
        var roundUp = rest.first! >= "5"
        if rest.first! == "5" && rest.dropFirst().allSatisfy({ $0 == "0" }),
           let exact = fixedText(x, 1100) {
            // Possible exact tie: a double's fraction has at most 1074 decimals, so this decides.
            let exactPoint = exact.firstIndex(of: ".")!
            let exactFraction = Array(exact[exact.index(after: exactPoint)...])
            roundUp = exactFraction[digits] >= "5"
        }
        if roundUp {
            var i = kept.count - 1
            while i >= 0 {
                if kept[i] == "9" { kept[i] = "0"; i -= 1 } else {
                    kept[i] = Character(Unicode.Scalar(kept[i].asciiValue! + 1)); break
                }
            }
            if i < 0 { kept.insert("1", at: 0) }
        }
        let integerCount = kept.count - digits
        let integer = String(kept[0..<integerCount])
        return digits == 0 ? integer : integer + "." + String(kept[integerCount...])
    }

    /// `x` printed by the C library in fixed notation with `fractionDigits` decimals.
    private static func fixedText(_ x: Double, _ fractionDigits: Int) -> String? {
        let capacity = fractionDigits + 340
        var buffer = [CChar](repeating: 0, count: capacity)
        let written = withVaList([Int32(fractionDigits), x]) { args in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, capacity, "%.*f", args) }
        }
        guard written > 0, written < capacity else { return nil }
        return String(decoding: buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Renders doubles as text exactly the way JavaScript (and so the JSONata reference) does.
enum NumberText {
    /// The largest integer a double holds exactly together with all its neighbours (2^53 - 1).
    static let maxSafeInteger: Double = 9_007_199_254_740_991

    /// JavaScript's `String(n)` / `JSON.stringify(n)` for a finite number: shortest round-trip
    /// digits, plain notation for 1e-7 <= |n| < 1e21, exponent form (`1e+21`, `1.5e-7`) outside it,
    /// `-0` as `0`. Non-finite values give JS's `String(n)` ("NaN", "Infinity", "-Infinity");
    /// callers that must reject them (D1001, D3001) check `isFinite` first.
    static func json(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == 0 { return "0" }
        // integers a double holds exactly print as their digits (same text as the shortest-digits
        // path, which is much slower; date pictures format every component through here)
        if abs(d) < 9_007_199_254_740_992, d == d.rounded(.towardZero) { return String(Int64(d)) }
        let (digits, point) = shortestDigits(abs(d))
        return (d < 0 ? "-" : "") + layout(digits: digits, point: point)
    }

    /// How `$string` renders a number: integers as they are, everything else rounded to
    /// 15 significant digits (JS `Number(n.toPrecision(15))`) and then rendered by `json`.
    /// Returns nil for NaN and infinities, where the reference throws D3001 (top level)
    /// or D1001 (inside an array or object); the caller picks the code.
    static func string(_ d: Double) -> String? {
        guard d.isFinite else { return nil }
        // The reference rounds only numbers that are not integers (`Number.isInteger`), so
        // ids like 5890840712243076, and integers past 2^53, are written in full.
        if d == d.rounded(.towardZero) {
            return json(d)
        }
        return json(roundedToSignificant(d, 15))
    }

    /// `x` rounded to `precision` significant decimal digits, ties away from zero, computed on
    /// the exact binary value as JS `toPrecision` does, then read back as the nearest double.
    static func roundedToSignificant(_ x: Double, _ precision: Int) -> Double {
        guard x.isFinite, x != 0 else { return x }
        guard let text = significantDigits(abs(x), precision) else { return x }
        let value = Double("\(text.digits)e\(text.exponent - precision + 1)") ?? x
        return x < 0 ? -value : value
    }

    /// The decimal digits of `x` (> 0) rounded half-up to `precision` digits, with the decimal
    /// exponent of the first digit; e.g. (123.45, 4) -> ("1235", 2).
    static func significantDigits(_ x: Double, _ precision: Int) -> (digits: String, exponent: Int)? {
        // printf gives correctly rounded (half-even on the exact value) digits; we ask for
        // more than we need and round ourselves so that exact ties go away from zero like JS.
        guard let wide = exponentText(x, fractionDigits: precision + 10) else { return nil }
        var digits = Array(wide.digits.utf8).map { Int($0) - 48 }
        let kept = Array(digits[0..<precision])
        let rest = digits[precision...]
        var roundUp = rest.first! >= 5
        if rest.first! == 5 && rest.dropFirst().allSatisfy({ $0 == 0 }) {
            // Looks like a tie at this width; only the exact expansion can say. A double's exact
            // decimal expansion never has more than 767 significant digits.
            if let exact = exponentText(x, fractionDigits: 800) {
                let tail = Array(exact.digits.utf8.dropFirst(precision)).map { Int($0) - 48 }
                roundUp = tail.first! >= 5
            }
        }
        digits = kept
        var exponent = wide.exponent
        if roundUp {
            var i = precision - 1
            while i >= 0 {
                if digits[i] == 9 { digits[i] = 0; i -= 1 } else { digits[i] += 1; break }
            }
            if i < 0 { digits.insert(1, at: 0); digits.removeLast(); exponent += 1 }
        }
        return (String(digits.map { Character(Unicode.Scalar(UInt8($0 + 48))) }), exponent)
    }

    /// `x` (> 0) printed by the C library as `d.ddd…e±XX`, split into its digit string and exponent.
    private static func exponentText(_ x: Double, fractionDigits: Int) -> (digits: String, exponent: Int)? {
        let capacity = fractionDigits + 32
        var buffer = [CChar](repeating: 0, count: capacity)
        let written = withVaList([Int32(fractionDigits), x]) { args in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, capacity, "%.*e", args) }
        }
        guard written > 0, written < capacity else { return nil }
        let text = String(decoding: buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let e = text.firstIndex(of: "e"), let exponent = Int(text[text.index(after: e)...]) else { return nil }
        let digits = text[..<e].filter { $0 != "." }
        return (digits, exponent)
    }

    /// The shortest digits that round-trip `x` (> 0), and the position of the decimal point
    /// relative to the first digit (value = 0.DIGITS × 10^point).
    static func shortestDigits(_ x: Double) -> (digits: String, point: Int) {
        // Swift's `description` already prints the shortest round-trip digits (closest to the
        // exact value when several are equally short), which is what ECMAScript requires;
        // only the layout differs, so we re-read its digits and exponent.
        let text = x.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...].replacingPlus()) ?? 0
        }
        let integerCount = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) }
            ?? mantissa.count
        var digits = Array(mantissa.filter { $0 != "." })
        var point = integerCount + exponent
        while digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.last == "0" { digits.removeLast() }
        return (String(digits), point)
    }

    /// Places the digits as ECMAScript's Number::toString does for the given point position.
    private static func layout(digits: String, point n: Int) -> String {
        let k = digits.count
        if k <= n && n <= 21 {
            return digits + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            let cut = digits.index(digits.startIndex, offsetBy: n)
            return digits[..<cut] + "." + digits[cut...]
        }
        if -6 < n && n <= 0 {
            return "0." + String(repeating: "0", count: -n) + digits
        }
        let e = n - 1
        let sign = e < 0 ? "-" : "+"
        let head = String(digits.first!)
        let tail = k > 1 ? "." + digits.dropFirst() : ""
        return head + tail + "e" + sign + String(abs(e))
    }
}

private extension Substring {
    /// Drops a leading `+` so `Int(_:)` accepts exponents such as `+16`.
    func replacingPlus() -> Substring { first == "+" ? dropFirst() : self }
}

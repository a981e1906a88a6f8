import Foundation

func numbersOf(_ v: Value?) -> [Double]? {
    guard let v else { return nil }
    switch v {
    case .json(.array(let a)):
        var out: [Double] = []
        out.reserveCapacity(a.count)
        for e in a { if case .number(let d) = e { out.append(d) } }
        return out
    case .array(let b):
        return b.items.compactMap(\.numberValue)
    default:
        return v.numberValue.map { [$0] }
    }
}

/// JavaScript's `Math.round` (halves towards +infinity).
func jsRound(_ x: Double) -> Double { (x + 0.5).rounded(.down) }

/// The reference's `$round`: half-to-even at the given number of decimal places.
func roundHalfEven(_ arg: Double, _ precision: Int) -> Double {
    var x = arg
    if precision != 0 {
        x = shiftDecimal(x, precision)
    }
    var result = jsRound(x)
    let diff = result - x
    if abs(diff) == 0.5 && abs(result.truncatingRemainder(dividingBy: 2)) == 1 {
        result -= 1
    }
    if precision != 0 {
        result = shiftDecimal(result, -precision)
    }
    if result == 0 { result = 0 }
    return result
}

/// Multiplies by 10^n through the decimal text, as the reference does, to avoid binary error.
func shiftDecimal(_ x: Double, _ n: Int) -> Double {
    // A whole number below 2^53 times or over an exact power of ten (10^22 at most) is what
    // parsing "digits e n" gives: both are the correctly rounded exact result. This is the
    // shift back after rounding, and it needs no text.
    if x == x.rounded(.towardZero), x.magnitude < 9_007_199_254_740_992, n != 0, n.magnitude <= 22 {
        let power = exactPowersOfTen[Int(n.magnitude)]
        return n > 0 ? x * power : x / power
    }
    let text = x.description
    guard let e = text.utf8.firstIndex(of: UInt8(ascii: "e")) else {
        return Double(text + "e" + String(n)) ?? x
    }
    let exponent = Int(text[text.utf8.index(after: e)...]) ?? 0
    return Double(text[..<e] + "e" + String(exponent + n)) ?? x
}

/// 10^0 ... 10^22, every one exactly representable as a Double.
private let exactPowersOfTen: [Double] = (0...22).map { power in
    var value = 1.0
    for _ in 0..<power { value *= 10 }
    return value
}

extension Builtins {
    static let numericFunctions: [Builtin] = [
        Builtin("sum", "<a<n>:n>") { _, args, _, _ in
            guard let ns = numbersOf(arg(args, 0)) else { return nil }
            var t = 0.0
            for n in ns { t += n }
            return .number(t)
        },
        Builtin("count", "<a:n>") { _, args, _, _ in
            guard let v = arg(args, 0) else { return .number(0) }
            return .number(Double(v.isArray ? v.arrayCount : 1))
        },
        Builtin("max", "<a<n>:n>") { _, args, _, _ in
            guard let ns = numbersOf(arg(args, 0)), !ns.isEmpty else { return nil }
            return .number(ns.max()!)
        },
        Builtin("min", "<a<n>:n>") { _, args, _, _ in
            guard let ns = numbersOf(arg(args, 0)), !ns.isEmpty else { return nil }
            return .number(ns.min()!)
        },
        Builtin("average", "<a<n>:n>") { _, args, _, _ in
            guard let ns = numbersOf(arg(args, 0)), !ns.isEmpty else { return nil }
            var t = 0.0
            for n in ns { t += n }
            return .number(t / Double(ns.count))
        },
        Builtin("number", "<(nsb)-:n>") { _, args, _, _ in
            guard let v = arg(args, 0) else { return nil }
            switch v {
            case .json(.number): return v
            case .json(.bool(let b)): return .number(b ? 1 : 0)
            case .json(.string(let s)):
                if let d = parseJSNumber(s) { return .number(d) }
                throw JSONataError(code: "D3030", position: -1, value: .string(s))
            default:
                throw JSONataError(code: "D3030", position: -1, value: v.toJSON())
            }
        },
        Builtin("floor", "<n-:n>") { _, args, _, _ in argNumber(args, 0).map { .number($0.rounded(.down)) } },
        Builtin("ceil", "<n-:n>") { _, args, _, _ in argNumber(args, 0).map { .number($0.rounded(.up)) } },
        Builtin("abs", "<n-:n>") { _, args, _, _ in argNumber(args, 0).map { .number(abs($0)) } },
        Builtin("round", "<n-n?:n>") { _, args, _, _ in
            guard let x = argNumber(args, 0) else { return nil }
            return .number(roundHalfEven(x, jsInt(argNumber(args, 1) ?? 0)))
        },
        Builtin("sqrt", "<n-:n>") { _, args, _, _ in
            guard let x = argNumber(args, 0) else { return nil }
            if x < 0 { throw JSONataError(code: "D3060", position: -1, value: .number(x)) }
            return .number(x.squareRoot())
        },
        Builtin("power", "<n-n:n>") { _, args, _, _ in
            guard let x = argNumber(args, 0), let y = argNumber(args, 1) else { return nil }
            let r = pow(x, y)
            if !r.isFinite { throw JSONataError(code: "D3061", position: -1, value: .number(x), value2: .number(y)) }
            return .number(r)
        },
        Builtin("random", "<:n>") { _, _, _, _ in .number(Double.random(in: 0..<1)) },
    ]
}

/// Parses a string as `$number` accepts it: JSON-style decimals, or 0x/0o/0b integers.
func parseJSNumber(_ s: String) -> Double? {
    let u = Array(s.utf8)
    if u.count > 2 && u[0] == UInt8(ascii: "0") {
        let p = u[1] | 0x20
        let digits = String(decoding: u[2...], as: UTF8.self)
        var radix = 0
        if p == UInt8(ascii: "x") { radix = 16 } else if p == UInt8(ascii: "o") { radix = 8 } else if p == UInt8(ascii: "b") { radix = 2 }
        if radix != 0 {
            guard let v = UInt64(digits, radix: radix) else { return nil }
            return Double(v)
        }
    }
    var i = 0
    if i < u.count && u[i] == UInt8(ascii: "-") { i += 1 }
    let ds = i
    while i < u.count && u[i] >= 0x30 && u[i] <= 0x39 { i += 1 }
    if i == ds { return nil }
    if i < u.count && u[i] == UInt8(ascii: ".") {
        i += 1
        let f = i
        while i < u.count && u[i] >= 0x30 && u[i] <= 0x39 { i += 1 }
        if i == f { return nil }
    }
    if i < u.count && (u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E")) {
        i += 1
        if i < u.count && (u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-")) { i += 1 }
        let f = i
        while i < u.count && u[i] >= 0x30 && u[i] <= 0x39 { i += 1 }
        if i == f { return nil }
    }
    if i != u.count { return nil }
    guard let d = Double(s), d.isFinite else { return nil }
    return d
}

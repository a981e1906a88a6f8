import Foundation

/// Calls `body` with each number of `v` in order: an array's number items, or `v` itself when
/// it is a number. False when `v` is undefined or neither (the aggregate is then undefined).
func forEachNumber(_ v: Value?, _ body: (Double) -> Void) -> Bool {
    guard let v else { return false }
    switch v {
    case .json(.array(let a)):
        for index in a.indices { if case .number(let d) = a[index] { body(d) } }
    case .array(let b):
        let items = b.items
        for index in items.indices { if case .json(.number(let d)) = items[index] { body(d) } }
    case .json(.number(let d)):
        body(d)
    default:
        return false
    }
    return true
}

extension Builtins {
    static let numericFunctions: [Builtin] = [
        Builtin("sum", "<a<n>:n>") { _, args, _, _ in
            var total = 0.0
            guard forEachNumber(arg(args, 0), { total += $0 }) else { return nil }
            return .number(total)
        },
        Builtin("count", "<a:n>") { _, args, _, _ in
            guard let v = arg(args, 0) else { return .number(0) }
            return .number(Double(v.isArray ? v.arrayCount : 1))
        },
        Builtin("max", "<a<n>:n>") { _, args, _, _ in
            var largest: Double?
            _ = forEachNumber(arg(args, 0)) { d in if largest.map({ d > $0 }) ?? true { largest = d } }
            return largest.map { .number($0) }
        },
        Builtin("min", "<a<n>:n>") { _, args, _, _ in
            var smallest: Double?
            _ = forEachNumber(arg(args, 0)) { d in if smallest.map({ d < $0 }) ?? true { smallest = d } }
            return smallest.map { .number($0) }
        },
        Builtin("average", "<a<n>:n>") { _, args, _, _ in
            var total = 0.0, count = 0
            _ = forEachNumber(arg(args, 0)) { total += $0; count += 1 }
            return count == 0 ? nil : .number(total / Double(count))
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
            return .number(NumberText.roundHalfEven(x, precision: jsInt(argNumber(args, 1) ?? 0)))
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

import Foundation
import OrderedCollections

/// The table of built-in functions, by name (without the `$`).
enum Builtins {
    static let transformSignature = try! Signature("<(oa):o>")

    static let table: [String: FunctionBox] = {
        var t: [String: FunctionBox] = [:]
        for b in stringFunctions + numericFunctions + collectionFunctions + higherOrderFunctions + miscFunctions {
            t[b.name] = FunctionBox(.builtin(b))
        }
        return t
    }()
}

// MARK: argument helpers

@inline(__always) func argString(_ args: Arguments, _ i: Int) -> String? {
    if i < args.count, case .json(.string(let s))? = args[i] { return s }
    return nil
}

@inline(__always) func argNumber(_ args: Arguments, _ i: Int) -> Double? {
    if i < args.count, case .json(.number(let d))? = args[i] { return d }
    return nil
}

@inline(__always) func arg(_ args: Arguments, _ i: Int) -> Value? {
    i < args.count ? args[i] : nil
}

/// The reference's `$string` conversion (used by `&` too).
func stringify(_ v: Value, pretty: Bool = false) throws -> String {
    switch v {
    case .json(.string(let s)): return s
    case .function: return ""
    case .json(.number(let d)):
        if d == d.rounded(.towardZero) && abs(d) < 1e15 { return String(Int64(d)) }
        guard let s = NumberText.string(d) else { throw JSONataError(code: "D3001", position: -1, value: .number(d)) }
        return s
    default:
        let j = v.toJSONForString()
        try checkFinite(j)
        var w = JSONWriter(pretty: pretty, roundNumbers: true)
        w.write(j, level: 0)
        return w.out
    }
}

func checkFinite(_ j: JSONValue) throws {
    switch j {
    case .number(let d): if !d.isFinite { throw JSONataError(code: "D1001", position: -1, value: .number(d)) }
    case .array(let a): for e in a { try checkFinite(e) }
    case .object(let o): for (_, e) in o { try checkFinite(e) }
    default: break
    }
}

/// Number of arguments a function value takes, for `$map`-style callers.
func functionArity(_ v: Value) -> Int {
    if case .function(let f) = v { return f.arity }
    return 0
}


/// JavaScript truthiness (used where the reference tests a raw value, e.g. sort comparators).
func jsTruthy(_ v: Value?) -> Bool {
    guard let v else { return false }
    switch v {
    case .json(.null), .json(.bool(false)): return false
    case .json(.number(let d)): return d != 0 && !d.isNaN
    case .json(.string(let s)): return !s.isEmpty
    default: return true
    }
}

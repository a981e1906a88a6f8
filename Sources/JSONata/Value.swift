import OrderedCollections

/// The evaluator's value: input data stays as `JSONValue` (never converted), while values
/// built during evaluation that need more than JSON (sequences with flags, functions,
/// mutable objects for transforms, tuple streams) use the other cases.
///
/// `@_eagerMove` (here and on the evaluator's other value and reference types): a value may be
/// released after its last use instead of at the end of its scope, as the standard library's
/// `Array` and `String` are. Nothing in the evaluator needs a value to outlive its last use (no
/// deinit has side effects, nothing is held weakly), and the optimizer then drops retain/release
/// pairs it otherwise keeps: 3–7% fewer instructions per evaluation over the benchmark cases.
@_eagerMove enum Value {
    case json(JSONValue)
    case array(ArrayBox)
    case object(ObjectBox)
    case function(FunctionBox)
    case tuples(TupleStream)

    static var null: Value { .json(.null) }
    static var `true`: Value { .json(.bool(true)) }
    static var `false`: Value { .json(.bool(false)) }
    @inline(__always) static func number(_ d: Double) -> Value { .json(.number(d)) }
    @inline(__always) static func string(_ s: String) -> Value { .json(.string(s)) }
    @inline(__always) static func bool(_ b: Bool) -> Value { .json(.bool(b)) }
}

/// An array built during evaluation, with the reference's sequence flags.
@_eagerMove final class ArrayBox {
    @exclusivity(unchecked) var items: ContiguousArray<Value>
    // flags are set right after creation and never under an overlapping access
    @exclusivity(unchecked) var isSequence: Bool
    @exclusivity(unchecked) var keepSingleton = false
    @exclusivity(unchecked) var cons = false
    @exclusivity(unchecked) var outerWrapper = false

    init(_ items: ContiguousArray<Value> = [], sequence: Bool) {
        self.items = items
        self.isSequence = sequence
    }
}

/// An object built during evaluation that holds non-JSON values, or is being transformed.
@_eagerMove final class ObjectBox {
    @exclusivity(unchecked) var dict: OrderedDictionary<String, Value>
    init(_ dict: OrderedDictionary<String, Value>) { self.dict = dict }
}

/// One binding tuple of a tuple stream: the context item plus bound variables.
@_eagerMove struct Tuple {
    var focus: Value
    var bindings: [(Int32, Value)]

    func binding(_ name: Int32) -> Value? {
        for (k, v) in bindings where k == name { return v }
        return nil
    }

    mutating func set(_ name: Int32, _ value: Value) {
        for i in bindings.indices where bindings[i].0 == name {
            bindings[i].1 = value
            return
        }
        bindings.append((name, value))
    }
}

/// A sequence of binding tuples (the reference's `tupleStream`).
@_eagerMove final class TupleStream {
    @exclusivity(unchecked) var tuples: [Tuple]
    init(_ tuples: [Tuple]) { self.tuples = tuples }
}

extension Value {
    @inline(__always) static func sequence(_ items: ContiguousArray<Value>) -> Value {
        .array(ArrayBox(items, sequence: true))
    }

    var isArray: Bool {
        switch self {
        case .json(.array), .array: return true
        default: return false
        }
    }

    var isSequence: Bool {
        if case .array(let b) = self { return b.isSequence }
        return false
    }

    var isFunction: Bool {
        if case .function = self { return true }
        return false
    }

    var isObject: Bool {
        switch self {
        case .json(.object), .object: return true
        default: return false
        }
    }

    var numberValue: Double? {
        if case .json(.number(let d)) = self { return d }
        return nil
    }

    var stringValue: String? {
        if case .json(.string(let s)) = self { return s }
        return nil
    }

    /// Elements of an array value (wrapping JSON elements), or nil when not an array.
    var arrayElements: ContiguousArray<Value>? {
        switch self {
        case .json(.array(let a)): return wrappedItems(a)
        case .array(let b): return b.items
        default: return nil
        }
    }

    var arrayCount: Int {
        switch self {
        case .json(.array(let a)): return a.count
        case .array(let b): return b.items.count
        default: return 0
        }
    }

    /// Members of an object value in order, or nil when not an object.
    var objectEntries: [(String, Value)]? {
        switch self {
        case .json(.object(let o)): return o.map { ($0.key, .json($0.value)) }
        case .object(let b): return b.dict.map { ($0.key, $0.value) }
        default: return nil
        }
    }

    func member(_ key: String) -> Value? {
        switch self {
        case .json(.object(let o)):
            if let v = objectLookup(o, key) { return .json(v) }
            return nil
        case .object(let b): return b.dict[key]
        default: return nil
        }
    }

    /// Converts to JSON; functions become nil (dropped from objects, `null` in arrays).
    func toJSON() -> JSONValue? {
        switch self {
        case .json(let j): return j
        case .array(let b):
            var out: [JSONValue] = []
            let items = b.items
            out.reserveCapacity(items.count)
            for index in items.indices {
                if case .json(let j) = items[index] { out.append(j) } else { out.append(items[index].toJSON() ?? .null) }
            }
            return .array(out)
        case .object(let b):
            var out = OrderedDictionary<String, JSONValue>(minimumCapacity: b.dict.count)
            for (k, v) in b.dict { if let j = v.toJSON() { out[k] = j } }
            return .object(out)
        case .function: return nil
        case .tuples(let t):
            return .array(t.tuples.map { $0.focus.toJSON() ?? .null })
        }
    }

    /// Converts to JSON for `$string`, where functions print as empty strings.
    func toJSONForString() -> JSONValue {
        switch self {
        case .json(let j): return j
        case .array(let b): return .array(b.items.map { $0.toJSONForString() })
        case .object(let b):
            var out = OrderedDictionary<String, JSONValue>(minimumCapacity: b.dict.count)
            for (k, v) in b.dict { out[k] = v.toJSONForString() }
            return .object(out)
        case .function: return .string("")
        case .tuples(let t): return .array(t.tuples.map { $0.focus.toJSONForString() })
        }
    }
}

/// Makes room in `out` for `extra` more values at once, growing it at least twice over: appended
/// one by one, ten values into an empty array reallocated it four times.
@inline(__always) func makeRoom(for extra: Int, in out: inout ContiguousArray<Value>) {
    let needed = out.count &+ extra
    if needed > out.capacity { out.reserveCapacity(Swift.max(needed, 2 &* out.capacity)) }
}

/// Appends the elements of a JSON array as values, read in place (iterating the array copied,
/// retained and released, each element an extra time).
@inline(__always) func appendWrapped(_ a: [JSONValue], to out: inout ContiguousArray<Value>) {
    makeRoom(for: a.count, in: &out)
    a.withUnsafeBufferPointer { elements in
        for index in elements.indices { out.append(.json(elements[index])) }
    }
}

/// `count` undefined values. (`ContiguousArray(repeating:count:)` allocated through a path that
/// was not specialized and looked the array's type up at run time, some 250 instructions.)
@inline(__always) func undefinedValues<T>(_ count: Int) -> ContiguousArray<T?> {
    var values = ContiguousArray<T?>()
    values.reserveCapacity(count)
    for _ in 0..<count { values.append(nil) }
    return values
}

/// The elements of a JSON array as values.
@inline(__always) func wrappedItems(_ a: [JSONValue]) -> ContiguousArray<Value> {
    var out = ContiguousArray<Value>()
    out.reserveCapacity(a.count)
    appendWrapped(a, to: &out)
    return out
}

/// Adds `value` to `out`, spreading arrays one level (the reference's sequence flattening).
/// An array spread into an `out` that never had storage is shared, not copied: a constructor or
/// step whose only array is that one allocates nothing more.
@inline(__always) func appendFlattening(_ value: Value, into out: inout ContiguousArray<Value>) {
    switch value {
    case .json(.array(let a)):
        appendWrapped(a, to: &out)
    case .array(let b):
        if out.capacity == 0 { out = b.items } else { appendItems(b.items, to: &out) }
    default:
        out.append(value)
    }
}

/// Appends `items`, each copied by the specialized copy: `append(contentsOf:)` copies through the
/// runtime's generic array copy.
@inline(__always) func appendItems(_ items: ContiguousArray<Value>, to out: inout ContiguousArray<Value>) {
    makeRoom(for: items.count, in: &out)
    items.withUnsafeBufferPointer { elements in
        for index in elements.indices { out.append(elements[index]) }
    }
}

/// How to find a key among an object's keys quickly, from the two words a `String` is made of.
/// Keys of JSON payloads are mostly short: up to 15 UTF-8 bytes a string holds its bytes in those
/// words (the "small" form), so two small strings with the same words are the same text, and a
/// small ASCII key differs from every small string whose words differ. Any other pair (a long
/// key, non-ASCII text, or the same text in another form) is compared as `==` does. The key
/// itself is passed to `matches` rather than kept, so that making a probe retains nothing.
struct KeyProbe {
    private let word0: UInt64
    private let word1: UInt64
    private let smallASCII: Bool
    private let length: Int

    @inline(__always) init(_ key: String) {
        (word0, word1) = stringWords(key)
        // the top bits of the second word: immortal, ASCII, small (the standard library's layout)
        smallASCII = word1 >> 61 == 0b111
        length = key.utf8.count
    }

    /// Whether strings are laid out as `matches` reads them, checked on known strings. The layout
    /// is the standard library's, inlined into every client and so fixed in practice; a test checks
    /// it, so that a toolchain that ever changed it fails there rather than finding wrong members.
    static var layoutHolds: Bool {
        func top(_ s: String) -> UInt64 { stringWords(s).1 >> 61 }
        var long = String(repeating: "k", count: 40)
        long.append("y")
        return top("key") == 0b111 && top("clé") & 0b011 == 0b001 && top(long) & 1 == 0
    }

    /// Whether the string at `candidate` is `key`, the string this probe was made from.
    @inline(__always) func matches(_ candidate: UnsafePointer<String>, _ key: String) -> Bool {
        let raw = UnsafeRawPointer(candidate)
        let c0 = raw.load(as: UInt64.self)
        let c1 = raw.load(fromByteOffset: 8, as: UInt64.self)
        if c0 == word0 && c1 == word1 { return true }
        if smallASCII && (c1 >> 61) & 1 == 1 { return false }
        return candidate.pointee.utf8.count == length && candidate.pointee == key
    }

    /// Where `key` (this probe's string) is among `keys`, read in place.
    @inline(__always) func index(in keys: [String], _ key: String) -> Int? {
        keys.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            return index(in: base, count: buffer.count, key)
        }
    }

    /// Where `key` is among the `count` strings at `keys`.
    @inline(__always) func index(in keys: UnsafePointer<String>, count: Int, _ key: String) -> Int? {
        for i in 0..<count where matches(keys + i, key) { return i }
        return nil
    }
}

/// The two words a `String` is made of (the standard library's layout, which `KeyProbe` and
/// `sameText` read), read in place: a bit cast would copy (retain and release) the string.
@inline(__always) func stringWords(_ s: String) -> (UInt64, UInt64) {
    withUnsafeBytes(of: s) { ($0.load(as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self)) }
}

/// Member lookup tuned for the small objects of typical payloads: a linear scan with `KeyProbe`
/// (OrderedDictionary scans small tables with full string comparisons).
@inline(__always) func objectLookup(_ o: OrderedDictionary<String, JSONValue>, _ key: String) -> JSONValue? {
    if o.count <= 16 {
        guard let found = KeyProbe(key).index(in: o.keys.elements, key) else { return nil }
        // read in place: subscripting the values array retained and released it around the copy
        return o.values.withUnsafeBufferPointer { $0[found] }
    }
    return o[key]
}

/// `objectLookup` in a JSON value that is an object, kept out of line on purpose: inlined into a
/// loop, its caller kept the object's storage retained (three retains and releases) across the
/// loop's later calls, since an indirect case's box is mutable memory to the optimizer.
@inline(never) func jsonMember(_ j: JSONValue, _ key: String) -> JSONValue? {
    guard case .object(let o) = j else { return nil }
    return objectLookup(o, key)
}

extension JSONValue {
    /// Whether this is an object.
    @inline(__always) var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    /// Whether this is an array.
    @inline(__always) var isArray: Bool {
        if case .array = self { return true }
        return false
    }

    /// Whether this is an array or an object.
    @inline(__always) var isContainer: Bool {
        switch self {
        case .array, .object: return true
        default: return false
        }
    }
}

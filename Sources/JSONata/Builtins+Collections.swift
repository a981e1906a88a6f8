import Foundation
import OrderedCollections

extension Builtins {
    static let collectionFunctions: [Builtin] = [
        Builtin("boolean", "<x-:b>") { _, args, _, _ in
            guard let v = arg(args, 0) else { return nil }
            return .bool(isTruthy(v))
        },
        Builtin("not", "<x-:b>") { _, args, _, _ in
            guard let v = arg(args, 0) else { return nil }
            return .bool(!isTruthy(v))
        },
        Builtin("exists", "<x:b>") { _, args, _, _ in .bool(arg(args, 0) != nil) },
        Builtin("type", "<x:s>") { _, args, _, _ in
            guard let v = arg(args, 0) else { return nil }
            switch v {
            case .json(.null): return .string("null")
            case .json(.number): return .string("number")
            case .json(.string): return .string("string")
            case .json(.bool): return .string("boolean")
            case .json(.array), .array, .tuples: return .string("array")
            case .function: return .string("function")
            case .json(.object), .object: return .string("object")
            }
        },
        Builtin("keys", "<x-:a<s>>") { _, args, _, _ in
            guard let v = arg(args, 0) else { return .sequence([]) }
            // one object: its keys are distinct already
            switch v {
            case .json(.object(let o)): return .sequence(ContiguousArray(o.keys.map { Value.string($0) }))
            case .object(let b): return .sequence(ContiguousArray(b.dict.keys.map { Value.string($0) }))
            default: break
            }
            // the keys of every object in the array, and in arrays within it, each once
            var keys = OrderedSet<String>()
            func collect(_ v: Value) {
                if let items = v.arrayElements {
                    for item in items { collect(item) }
                } else if let e = v.objectEntries {
                    for (k, _) in e { keys.append(k) }
                }
            }
            collect(v)
            return .sequence(ContiguousArray(keys.map { Value.string($0) }))
        },
        Builtin("lookup", "<x-s:x>") { ev, args, _, _ in
            guard let key = argString(args, 1) else { return nil }
            return ev.lookupName(arg(args, 0), key)
        },
        Builtin("append", "<xx:a>") { ev, args, _, _ in
            ev.appendValues(arg(args, 0), arg(args, 1))
        },
        Builtin("spread", "<x-:a<o>>") { _, args, _, _ in
            guard let v = arg(args, 0) else { return nil }
            func spread(_ v: Value, _ out: inout ContiguousArray<Value>) {
                if let items = v.arrayElements {
                    for i in items { spread(i, &out) }
                } else if let e = v.objectEntries, !v.isFunction {
                    for (k, x) in e {
                        if let j = x.toJSONIfPure() {
                            out.append(.json(.object([k: j])))
                        } else {
                            out.append(.object(ObjectBox([k: x])))
                        }
                    }
                } else {
                    out.append(v)
                }
            }
            if !v.isArray && !v.isObject { return v }
            var out = ContiguousArray<Value>()
            spread(v, &out)
            // The reference splices each item's spread into its result with `concat`, which
            // makes a plain array: an array with items gives an array even of one object
            // (`$spread([{"a": 1}])` is `[{"a": 1}]`), while an object alone gives a sequence.
            if let items = v.arrayElements, !items.isEmpty { return .array(ArrayBox(out, sequence: false)) }
            return .sequence(out)
        },
        Builtin("merge", "<a<o>:o>") { _, args, _, _ in
            guard let v = arg(args, 0) else { return nil }
            var json = OrderedDictionary<String, JSONValue>()
            var started = false
            var pure = true
            for item in v.arrayElements ?? [v] {
                if case .json(.object(let o)) = item {
                    if !started {
                        // start from the first object's storage (no copy until it grows), so
                        // `$merge([$acc, {...}])` in a reduce copies once instead of rebuilding
                        json = o
                        started = true
                        continue
                    }
                    json.reserveCapacity(json.count + o.count)
                    for (k, x) in o { json[k] = x }
                } else if !item.isFunction && item.isObject {
                    pure = false
                }
            }
            if pure { return .json(.object(json)) }
            var out = OrderedDictionary<String, Value>()
            for item in v.arrayElements ?? [v] {
                if let e = item.objectEntries { for (k, x) in e { out[k] = x } }
            }
            return objectValue(out)
        },
        Builtin("reverse", "<a:a>") { _, args, _, _ in
            guard let v = arg(args, 0) else { return nil }
            let items = v.arrayElements ?? [v]
            if items.count <= 1 { return v }
            return .array(ArrayBox(ContiguousArray(items.reversed()), sequence: false))
        },
        Builtin("distinct", "<x:x>") { _, args, _, _ in
            guard let v = arg(args, 0) else { return nil }
            guard let items = v.arrayElements, items.count > 1 else { return v }
            return .array(ArrayBox(distinctItems(items), sequence: v.isSequence))
        },
        Builtin("shuffle", "<a:a>") { _, args, _, _ in
            guard let v = arg(args, 0) else { return nil }
            let items = v.arrayElements ?? [v]
            if items.count <= 1 { return v }
            return .array(ArrayBox(ContiguousArray(items.shuffled()), sequence: false))
        },
        Builtin("zip", "<a+>") { _, args, _, _ in
            let arrays = args.map { $0?.arrayElements ?? [] }
            let n = arrays.map(\.count).min() ?? 0
            var out = ContiguousArray<Value>()
            for i in 0..<n {
                out.append(.array(ArrayBox(ContiguousArray(arrays.map { $0[i] }), sequence: false)))
            }
            return .array(ArrayBox(out, sequence: false))
        },
        Builtin("sort", "<af?:a>") { ev, args, _, env in
            guard let v = arg(args, 0) else { return nil }
            let items = v.arrayElements ?? [v]
            if items.count <= 1 { return v }
            let sorted: ContiguousArray<Value>
            if let cmp = arg(args, 1) {
                let compare = RepeatedCall(cmp, ev, env)
                sorted = try mergeSort(items) { a, b in jsTruthy(try compare(passing: 2, a, b)) }
            } else if items.allSatisfy({ $0.numberValue != nil }) {
                sorted = try mergeSort(items) { a, b in a.numberValue! > b.numberValue! }
            } else if items.allSatisfy({ $0.stringValue != nil }) {
                sorted = try mergeSort(items) { a, b in compareJSStrings(a.stringValue!, b.stringValue!) > 0 }
            } else {
                throw JSONataError(code: "D3070", position: -1)
            }
            return .array(ArrayBox(sorted, sequence: false))
        },
        Builtin("each", "<o-f:a>") { ev, args, _, env in
            guard let obj = arg(args, 0), let f = arg(args, 1) else { return nil }
            var out = ContiguousArray<Value>()
            let call = RepeatedCall(f, ev, env)
            for (k, v) in obj.objectEntries ?? [] {
                if let r = try call(v, .string(k), obj) { out.append(r) }
            }
            return .sequence(out)
        },
        Builtin("sift", "<o-f?:o>") { ev, args, _, env in
            guard let obj = arg(args, 0), let f = arg(args, 1) else { return nil }
            var out = OrderedDictionary<String, Value>()
            let call = RepeatedCall(f, ev, env)
            for (k, v) in obj.objectEntries ?? [] {
                if isTruthy(try call(v, .string(k), obj)) { out[k] = v }
            }
            if out.isEmpty { return nil }
            return objectValue(out)
        },
        Builtin("clone", "<(oa)-:o>") { _, args, _, _ in
            guard let v = arg(args, 0) else { return nil }
            return v.toJSON().map { .json($0) }
        },
        Builtin("error", "<s?:x>") { _, args, _, _ in
            let msg = argString(args, 0) ?? "$error() function evaluated"
            throw JSONataError(code: "D3137", position: -1, message: msg)
        },
        Builtin("assert", "<bs?:x>") { _, args, _, _ in
            if case .json(.bool(true))? = arg(args, 0) { return nil }
            let msg = argString(args, 1) ?? "$assert() statement failed"
            throw JSONataError(code: "D3141", position: -1, message: msg)
        },
    ]

    static let higherOrderFunctions: [Builtin] = [
        Builtin("map", "<af>") { ev, args, _, env in
            guard let v = arg(args, 0), let f = arg(args, 1) else { return nil }
            var out = ContiguousArray<Value>()
            let call = RepeatedCall(f, ev, env)
            if case .json(.array(let a)) = v {
                out.reserveCapacity(a.count)
                for (i, e) in a.enumerated() {
                    if let r = try call(.json(e), .number(Double(i)), v) { out.append(r) }
                }
                return .sequence(out)
            }
            let items = v.arrayElements ?? [v]
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                if let r = try call(item, .number(Double(i)), v) { out.append(r) }
            }
            return .sequence(out)
        },
        Builtin("filter", "<af>") { ev, args, _, env in
            guard let v = arg(args, 0), let f = arg(args, 1) else { return nil }
            let items = v.arrayElements ?? [v]
            var out = ContiguousArray<Value>()
            out.reserveCapacity(items.count)
            let call = RepeatedCall(f, ev, env)
            for (i, item) in items.enumerated() {
                if isTruthy(try call(item, .number(Double(i)), v)) { out.append(item) }
            }
            return .sequence(out)
        },
        Builtin("single", "<af?>") { ev, args, _, env in
            guard let v = arg(args, 0) else { return nil }
            let items = v.arrayElements ?? [v]
            var found: Value?
            let predicate = arg(args, 1)
            let call = predicate.map { RepeatedCall($0, ev, env) }
            for (i, item) in items.enumerated() {
                var ok = true
                if let call { ok = isTruthy(try call(item, .number(Double(i)), v)) }
                if ok {
                    if found != nil { throw JSONataError(code: "D3138", position: -1) }
                    found = item
                }
            }
            guard let found else { throw JSONataError(code: "D3139", position: -1) }
            return found
        },
        Builtin("reduce", "<afj?:j>") { ev, args, _, env in
            guard let v = arg(args, 0), let f = arg(args, 1) else { return nil }
            let arity = functionArity(f)
            if arity < 2 { throw JSONataError(code: "D3050", position: -1) }
            let items = v.arrayElements ?? [v]
            var index = 0
            var acc: Value?
            if arg(args, 2) == nil && !items.isEmpty {
                acc = items[0]
                index = 1
            } else {
                acc = arg(args, 2)
            }
            let count = min(arity, 4)
            let call = RepeatedCall(f, ev, env)
            while index < items.count {
                acc = try call(passing: count, acc, items[index], .number(Double(index)), v)
                index += 1
            }
            return acc
        },
    ]
}

/// `items` without repeats, first occurrences kept in order (`$distinct`). Scalars are compared
/// with the ones kept so far (a set pays off only for many of them); strings are kept apart, in a
/// buffer on the stack, to be matched by their words first (`KeyProbe`).
func distinctItems(_ items: ContiguousArray<Value>) -> ContiguousArray<Value> {
    var out = ContiguousArray<Value>()
    out.reserveCapacity(items.count)
    var seenScalars = ContiguousArray<JSONValue>()
    var seen: Set<JSONValue>? = items.count > 16 ? Set(minimumCapacity: items.count) : nil
    return withUnsafeTemporaryAllocation(of: String.self, capacity: seen == nil ? items.count : 0) { seenStrings in
        var stringCount = 0
        defer { seenStrings.baseAddress?.deinitialize(count: stringCount) }
        for index in items.indices {
            if seen == nil, case .json(.string(let text)) = items[index] {
                if KeyProbe(text).index(in: seenStrings.baseAddress!, count: stringCount, text) == nil {
                    (seenStrings.baseAddress! + stringCount).initialize(to: text)
                    stringCount &+= 1
                    out.append(items[index])
                }
            } else if case .json(let j) = items[index], isScalar(j) {
                if seen != nil {
                    if seen!.insert(j).inserted { out.append(items[index]) }
                } else if !seenScalars.withUnsafeBufferPointer({ containsScalar($0, j) }) {
                    seenScalars.append(j)
                    out.append(items[index])
                }
            } else if !out.contains(where: { deepEquals($0, items[index]) }) {
                out.append(items[index])
            }
        }
        return out
    }
}

/// Whether `values` holds `j`, a scalar compared by kind and value (as `=` and `in` compare
/// scalars), read in place and without the generic `contains`.
func containsScalar(_ values: UnsafeBufferPointer<JSONValue>, _ j: JSONValue) -> Bool {
    switch j {
    case .string(let s):
        for index in values.indices { if case .string(let t) = values[index], sameText(t, s) { return true } }
    case .number(let d):
        for index in values.indices { if case .number(let e) = values[index], e == d { return true } }
    case .bool(let b):
        for index in values.indices { if case .bool(let c) = values[index], c == b { return true } }
    case .null:
        for index in values.indices { if case .null = values[index] { return true } }
    case .array, .object:
        return values.contains(j)
    }
    return false
}

func isScalar(_ j: JSONValue) -> Bool {
    switch j {
    case .array, .object: return false
    default: return true
    }
}

/// Builds an object value, as plain JSON when nothing in it needs more than JSON.
func objectValue(_ d: OrderedDictionary<String, Value>) -> Value {
    var out = OrderedDictionary<String, JSONValue>(minimumCapacity: d.count)
    for (k, v) in d {
        guard let j = v.toJSONIfPure() else { return .object(ObjectBox(d)) }
        out[k] = j
    }
    return .json(.object(out))
}

extension Value {
    /// JSON form when the value holds no functions (and is not a transform target).
    func toJSONIfPure() -> JSONValue? {
        switch self {
        case .json(let j): return j
        case .function: return nil
        case .object: return nil
        case .array(let b):
            var out: [JSONValue] = []
            out.reserveCapacity(b.items.count)
            for v in b.items {
                guard let j = v.toJSONIfPure() else { return nil }
                out.append(j)
            }
            return .array(out)
        case .tuples: return toJSON()
        }
    }
}

import Foundation
import OrderedCollections

/// Per-evaluation state: limits, clock, and the recursive tree walker.
@_eagerMove final class Evaluator {
    let maxDepth: Int
    let deadline: UInt64
    @exclusivity(unchecked) var depth = 0
    @exclusivity(unchecked) var ticks = 0
    /// The input document, which `$$` names when no scope rebinds it.
    @exclusivity(unchecked) var rootInput: Value?
    /// Whether the host bound a built-in's name (then built-in references search scopes as usual).
    @exclusivity(unchecked) var hostShadowsBuiltins = false
    /// Milliseconds since the epoch, fixed for one evaluation (`$now`, `$millis`).
    @exclusivity(unchecked) private var fixedTimestamp: Double?
    /// Milliseconds since the epoch, read once per evaluation on first use.
    var timestamp: Double {
        if let t = fixedTimestamp { return t }
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let t = Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec / 1_000_000)
        fixedTimestamp = t
        return t
    }

    init(maxDepth: Int, timeLimitNanos: UInt64?) {
        self.maxDepth = maxDepth
        self.deadline = timeLimitNanos.map { DispatchTime.now().uptimeNanoseconds &+ $0 } ?? UInt64.max
    }

    @inline(__always) func enter(_ node: Node) throws {
        let d = depth &+ 1
        depth = d
        if d > maxDepth {
            throw JSONataError(code: "U1001", position: node.position)
        }
        let t = ticks &+ 1
        ticks = t
        if t & 0x3FF == 0, deadline != UInt64.max, DispatchTime.now().uptimeNanoseconds > deadline {
            throw JSONataError(code: "U1002", position: node.position)
        }
    }

    /// Evaluates, answering literals directly.
    @inline(__always) func eval(_ node: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        // A literal with a predicate or group (`3[false]`, `"a"{...}`) goes the whole way.
        switch node.kind {
        case .string, .number, .value:
            return node.annotated ? try evaluate(node, input, env) : .json(node.literal)
        default: return try evaluate(node, input, env)
        }
    }

    func evaluate(_ node: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        try enter(node)
        defer { depth &-= 1 }
        var result: Value?
        switch node.kind {
        case .path:
            result = node.simplePath ? try evaluateSimplePath(node, input, env) : try evaluatePath(node, input, env)
        case .function: result = try evaluateFunction(node, input, env, applyTo: nil)
        case .binary: result = try evaluateBinary(node, input, env)
        case .variable: result = evaluateVariable(node, input, env)
        case .string, .number, .value: result = .json(node.literal)
        case .condition:
            let c = try eval(node.lhs!, input, env)
            if isTruthy(c) {
                // a host function that takes a built-in's name may not give the same value twice
                result = node.thenRepeatsTest && !hostShadowsBuiltins ? c : try eval(node.rhs!, input, env)
            } else if let e = node.third {
                result = try eval(e, input, env)
            }
        case .objectConstructor: result = try evaluateGroup(node.pairs, node.position, input, env, literalKeys: node.literalKeys)
        case .name: result = lookupName(input, node.text)
        default:
            result = try evaluateOther(node, input, env)
        }
        if node.annotated {
            if let preds = node.predicate {
                for case .filter(let e, _) in preds { result = try evaluateFilter(e, result, env) }
            }
            if node.kind != .path, let g = node.group { result = try evaluateGroup(g.pairs, g.position, result, env, literalKeys: node.groupLiteralKeys) }
            if node.keepArray, case .array(let box)? = result, box.isSequence { box.keepSingleton = true }
        }
        // Checked through a borrow first: matching the optional directly copied the whole result.
        if result?.isSequence == true, case .array(let box)? = result {
            if box.items.isEmpty {
                result = nil
            } else if box.items.count == 1 && !box.keepSingleton {
                result = box.items[0]
            }
        }
        return result
    }

    /// The less frequent node kinds, kept out of `evaluate` to keep its frame small.
    @inline(never)
    func evaluateOther(_ node: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        switch node.kind {
        case .negate: return try evaluateNegate(node, input, env)
        case .wildcard: return evaluateWildcard(input)
        case .descendant: return evaluateDescendants(input)
        case .parent: return env.lookup(node.symbol)
        case .coalesce:
            let l = try evaluate(node.lhs!, input, env)
            if node.text == "??" {
                return l != nil ? l : try evaluate(node.rhs!, input, env)
            }
            return isTruthy(l) ? l : try evaluate(node.rhs!, input, env)
        case .block:
            let frame = node.needsScope ? Frame(parent: env) : env
            var result: Value?
            let expressions = node.expressions
            for index in expressions.indices { result = try evaluate(expressions[index], input, frame) }
            return result
        case .bind:
            let v = try evaluate(node.rhs!, input, env)
            env.bind(node.symbol, v)
            return v
        case .regex: return node.regexValue ?? .function(FunctionBox(.regex(node.regex!)))
        case .lambda: return .function(FunctionBox(lambda: node, scope: env, input: input, params: node.paramSyms, signature: node.signature))
        case .partial: return try evaluatePartial(node, input, env)
        case .apply: return try evaluateApply(node, input, env)
        case .sort: return try evaluateSort(node, input, env)
        case .transform: return .function(FunctionBox(.transform(node, env), signature: Builtins.transformSignature))
        case .arrayConstructor: return try evaluateArrayConstructor(node, input, env)
        default:
            throw JSONataError(code: "S0206", position: node.position, token: node.text)
        }
    }

    // MARK: names, wildcards, variables

    @inline(__always) func lookupName(_ input: Value?, _ key: String) -> Value? {
        guard let input else { return nil }
        switch input {
        case .json(.object(let o)):
            if let v = objectLookup(o, key) { return .json(v) }
            return nil
        case .json(.array(let a)):
            var out = ContiguousArray<Value>()
            for e in a {
                switch e {
                case .object(let o):
                    if let v = objectLookup(o, key) {
                        if case .array(let inner) = v {
                            for x in inner { out.append(.json(x)) }
                        } else {
                            out.append(.json(v))
                        }
                    }
                case .array:
                    if let r = lookupName(.json(e), key) { appendFlattening(r, into: &out) }
                default: break
                }
            }
            return .sequence(out)
        case .array(let b):
            var out = ContiguousArray<Value>()
            for e in b.items {
                if let r = lookupName(e, key) { appendFlattening(r, into: &out) }
            }
            return .sequence(out)
        case .object(let b):
            return b.dict[key]
        default:
            return nil
        }
    }

    func evaluateVariable(_ node: Node, _ input: Value?, _ env: Frame) -> Value? {
        if node.text.isEmpty {
            if case .array(let b)? = input, b.outerWrapper, let first = b.items.first { return first }
            return input
        }
        if node.directBuiltin && !hostShadowsBuiltins, let b = node.builtin { return .function(b) }
        let (found, v) = env.find(node.symbol)
        if found { return v }
        if node.symbol == Symbols.root { return rootInput }
        if let b = node.builtin { return .function(b) }
        return Builtins.table[node.text].map { .function($0) }
    }

    /// `*`: the values of an object (or the elements of an array), arrays among them flattened.
    /// As in the reference, the result stops being a sequence once an array value has been
    /// spliced in (it splices with `concat`, which makes a plain array): `{"t": [], "v": 3}.*`
    /// is `[3]`, not `3`, and `{"t": []}.*` is `[]`, not undefined.
    func evaluateWildcard(_ inputIn: Value?) -> Value? {
        var input = inputIn
        if case .array(let b)? = input, b.outerWrapper, let first = b.items.first { input = first }
        var out = ContiguousArray<Value>()
        var splicedArray = false
        func add(_ v: Value) {
            if v.isArray {
                flattenDeep(v, into: &out)
                splicedArray = true
            } else {
                out.append(v)
            }
        }
        if case .json(.object(let o))? = input {
            out.reserveCapacity(o.count)
            for v in o.values { add(.json(v)) }
        } else if let input, input.isArray, let items = input.arrayElements {
            for v in items { add(v) }
        } else if let input, let entries = input.objectEntries {
            for (_, v) in entries { add(v) }
        }
        return .array(ArrayBox(out, sequence: !splicedArray))
    }

    func flattenDeep(_ v: Value, into out: inout ContiguousArray<Value>) {
        if let items = v.arrayElements {
            for e in items { flattenDeep(e, into: &out) }
        } else {
            out.append(v)
        }
    }

    func evaluateDescendants(_ input: Value?) -> Value? {
        guard let input else { return nil }
        var out = ContiguousArray<Value>()
        recurseDescendants(input, &out)
        if out.count == 1 { return out[0] }
        return .sequence(out)
    }

    func recurseDescendantsJSON(_ input: JSONValue, _ out: inout ContiguousArray<Value>) {
        switch input {
        case .array(let a):
            for e in a { recurseDescendantsJSON(e, &out) }
        case .object(let o):
            out.append(.json(input))
            for v in o.values { recurseDescendantsJSON(v, &out) }
        default:
            out.append(.json(input))
        }
    }

    func recurseDescendants(_ input: Value, _ out: inout ContiguousArray<Value>) {
        if case .json(let j) = input {
            recurseDescendantsJSON(j, &out)
            return
        }
        if let items = input.arrayElements {
            for e in items { recurseDescendants(e, &out) }
            return
        }
        out.append(input)
        if let entries = input.objectEntries {
            for (_, v) in entries { recurseDescendants(v, &out) }
        }
    }

    // MARK: constructors

    func evaluateArrayConstructor(_ node: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        var items = ContiguousArray<Value>()
        let expressions = node.expressions
        for index in expressions.indices {
            let item = expressions[index]
            guard let v = try evaluate(item, input, env) else { continue }
            if item.kind != .arrayConstructor && v.isArray {
                appendFlattening(v, into: &items)
            } else {
                // room for this value and one for each later expression, made on the first
                if items.capacity == 0 { items.reserveCapacity(expressions.count &- index) }
                items.append(v)
            }
        }
        let box = ArrayBox(items, sequence: false)
        box.cons = node.consArray
        return .array(box)
    }

    func evaluateNegate(_ node: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        guard let v = try evaluate(node.lhs!, input, env) else { return nil }
        if case .json(.number(let d)) = v { return .number(-d) }
        throw JSONataError(code: "D1002", position: node.position, token: "-", value: v.toJSON())
    }
}

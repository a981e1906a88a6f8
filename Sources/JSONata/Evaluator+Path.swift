import OrderedCollections

extension Evaluator {
    /// Items of a value treated as a sequence (an array's elements, or the value alone).
    @inline(__always) func sequenceItems(_ v: Value?) -> ContiguousArray<Value> {
        guard let v else { return [] }
        switch v {
        case .json(.array(let a)):
            var out = ContiguousArray<Value>()
            out.reserveCapacity(a.count)
            for e in a { out.append(.json(e)) }
            return out
        case .array(let b): return b.items
        case .tuples(let t): return ContiguousArray(t.tuples.map(\.focus))
        default: return [v]
        }
    }

    /// Navigates a path of plain name steps directly while the context is a single object,
    /// handing over to the general algorithm when it meets an array.
    func evaluateSimplePath(_ expr: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        let steps = expr.steps
        var cur: Value?
        var index = 0
        if steps[0].kind == .variable {
            cur = evaluateVariable(steps[0], input, env)
            if case .array(let b)? = cur, b.isSequence {
                cur = b.items.isEmpty ? nil : (b.items.count == 1 && !b.keepSingleton ? b.items[0] : cur)
            }
            index = 1
        } else {
            cur = input
        }
        let last = steps.count - 1
        while index <= last {
            guard let c = cur else { return nil }
            let v: Value?
            switch c {
            case .json(.object(let o)):
                v = objectLookup(o, steps[index].text).map { .json($0) }
            case .object(let b):
                v = b.dict[steps[index].text]
            case .json(.array), .array, .tuples:
                if index == 0 && steps[0].kind != .variable {
                    return try evaluatePath(expr, input, env)
                }
                return try finishPath(expr, from: index, items: ContiguousArray(sequenceItems(c).map { Optional($0) }), env)
            default:
                return nil
            }
            guard let v else { return nil }
            if index == last { return v }
            cur = v
            index += 1
        }
        return cur
    }

    func finishPath(_ expr: Node, from start: Int, items: ContiguousArray<Value?>, _ env: Frame) throws -> Value? {
        var inputItems = items
        var result: Value? = nil
        let steps = expr.steps
        let lastIndex = steps.count - 1
        for ii in start...lastIndex {
            result = try evaluateStep(steps[ii], inputItems, env, lastStep: ii == lastIndex)
            guard let r = result, r.isArray, r.arrayCount > 0 else { return nil }
            if ii < lastIndex {
                switch r {
                case .json(.array(let a)): inputItems = ContiguousArray(a.map { Value.json($0) })
                case .array(let b): inputItems = ContiguousArray(b.items.map { Optional($0) })
                default: inputItems = [r]
                }
            }
        }
        if case .array(let box)? = result, box.isSequence {
            if box.items.isEmpty { return nil }
            if box.items.count == 1 && !box.keepSingleton { return box.items[0] }
        }
        return result
    }

    func evaluatePath(_ expr: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        let steps = expr.steps
        // The reference iterates `[undefined]` when there is no input; a nil entry models that.
        var inputItems: ContiguousArray<Value?>
        var inputValue: Value?
        if steps[0].kind != .variable, let input, input.isArray {
            inputValue = input
            switch input {
            case .json(.array(let a)): inputItems = ContiguousArray(a.map { Value.json($0) })
            case .array(let b): inputItems = ContiguousArray(b.items.map { Optional($0) })
            default: inputItems = [input]
            }
        } else {
            inputItems = [input]
            if steps[0].consArray { inputValue = input.map { .sequence([$0]) } ?? .sequence([]) }
        }
        var result: Value? = nil
        var isTupleStream = false
        var tuples: [Tuple]? = nil
        let lastIndex = steps.count - 1
        for ii in 0...lastIndex {
            let step = steps[ii]
            if step.tuple { isTupleStream = true }
            if ii == 0 && step.consArray {
                result = try evaluate(step, inputValue, env)
            } else if isTupleStream {
                tuples = try evaluateTupleStep(step, inputItems, tuples, env)
            } else {
                result = try evaluateStep(step, inputItems, env, lastStep: ii == lastIndex)
            }
            if !isTupleStream {
                guard let r = result, r.isArray, r.arrayCount > 0 else {
                    if result == nil { result = .sequence([]) }
                    break
                }
            }
            if step.focus == nil, !isTupleStream || ii == 0 && step.consArray, let r = result {
                switch r {
                case .json(.array(let a)): inputItems = ContiguousArray(a.map { Value.json($0) })
                case .array(let b): inputItems = ContiguousArray(b.items.map { Optional($0) })
                default: inputItems = [r]
                }
            }
        }
        if isTupleStream {
            let ts = tuples ?? []
            if expr.tuple {
                result = .tuples(TupleStream(ts))
            } else {
                var out = ContiguousArray<Value>()
                out.reserveCapacity(ts.count)
                for t in ts { out.append(t.focus) }
                result = .sequence(out)
            }
        }
        if expr.keepSingletonArray {
            switch result {
            case .array(let b)?:
                if b.cons && !b.isSequence {
                    let seq = ArrayBox([.array(b)], sequence: true)
                    seq.keepSingleton = true
                    result = .array(seq)
                } else {
                    b.keepSingleton = true
                }
            case .json(.array(let a))?:
                // a plain array from the input: promote to a sequence we can flag
                let seq = ArrayBox(ContiguousArray(a.map { Value.json($0) }), sequence: true)
                seq.keepSingleton = true
                result = .array(seq)
            default: break
            }
        }
        if let g = expr.group {
            if isTupleStream {
                result = try evaluateGroup(g.pairs, g.position, .tuples(TupleStream(tuples ?? [])), env)
            } else {
                result = try evaluateGroup(g.pairs, g.position, result, env)
            }
        }
        return result
    }

    func evaluateStep(_ step: Node, _ input: ContiguousArray<Value?>, _ env: Frame, lastStep: Bool) throws -> Value {
        if step.kind == .sort {
            var r = try evaluateSort(step, .sequence(ContiguousArray(input.compactMap { $0 })), env)
            if let stages = step.stages { r = try evaluateStages(stages, r, env) }
            return r ?? .sequence([])
        }
        if step.kind == .name && step.plain {
            let key = step.text
            var out = ContiguousArray<Value>()
            out.reserveCapacity(input.count)
            var count = 0
            var single: Value? = nil
            for item in input {
                guard let item else { continue }
                var r: Value?
                switch item {
                case .json(.object(let o)):
                    guard let v = objectLookup(o, key) else { continue }
                    if case .array(let a) = v {
                        count += 1
                        if count == 1 { single = .json(v) }
                        for e in a { out.append(.json(e)) }
                        continue
                    }
                    r = .json(v)
                default:
                    r = lookupName(item, key)
                    if case .array(let b)? = r, b.isSequence {
                        r = b.items.isEmpty ? nil : (b.items.count == 1 ? b.items[0] : r)
                    }
                }
                guard let r else { continue }
                count += 1
                if count == 1 { single = r }
                switch r {
                case .json(.array(let a)):
                    for e in a { out.append(.json(e)) }
                case .array(let b):
                    if b.cons { out.append(r) } else { out.append(contentsOf: b.items) }
                default:
                    out.append(r)
                }
            }
            if lastStep && count == 1, let single, single.isArray, !single.isSequence { return single }
            return .sequence(out)
        }
        var results = ContiguousArray<Value>()
        results.reserveCapacity(input.count)
        for item in input {
            var res = try evaluate(step, item, env)
            if let stages = step.stages {
                for case .filter(let e, _) in stages { res = try evaluateFilter(e, res, env) }
            }
            if let res { results.append(res) }
        }
        if lastStep && results.count == 1 && results[0].isArray && !results[0].isSequence {
            return results[0]
        }
        var out = ContiguousArray<Value>()
        out.reserveCapacity(results.count)
        for r in results {
            switch r {
            case .json(.array(let a)):
                for e in a { out.append(.json(e)) }
            case .array(let b):
                if b.cons { out.append(r) } else { out.append(contentsOf: b.items) }
            case .tuples(let t):
                for x in t.tuples { out.append(x.focus) }
            default:
                out.append(r)
            }
        }
        return .sequence(out)
    }

    func frameFromTuple(_ env: Frame, _ tuple: Tuple) -> Frame {
        let f = Frame(parent: env)
        for (k, v) in tuple.bindings { f.bind(k, v) }
        return f
    }

    func evaluateTupleStep(_ step: Node, _ input: ContiguousArray<Value?>, _ tuplesIn: [Tuple]?, _ env: Frame) throws -> [Tuple] {
        if step.kind == .sort {
            var result: Value?
            if let tuplesIn {
                result = try evaluateSort(step, .tuples(TupleStream(tuplesIn)), env)
            } else {
                let sorted = try evaluateSort(step, .sequence(ContiguousArray(input.compactMap { $0 })), env)
                var ts: [Tuple] = []
                for (i, v) in sequenceItems(sorted).enumerated() {
                    var t = Tuple(focus: v, bindings: [])
                    if step.indexSym >= 0 { t.set(step.indexSym, .number(Double(i))) }
                    ts.append(t)
                }
                result = .tuples(TupleStream(ts))
            }
            if let stages = step.stages { result = try evaluateStages(stages, result, env) }
            if case .tuples(let t)? = result { return t.tuples }
            return []
        }
        let tuples: [Tuple] = tuplesIn ?? input.compactMap { $0.map { Tuple(focus: $0, bindings: []) } }
        var result: [Tuple] = []
        for t in tuples {
            let stepEnv = t.bindings.isEmpty ? env : frameFromTuple(env, t)
            guard let res = try evaluate(step, t.focus, stepEnv) else { continue }
            if case .tuples(let ts) = res {
                for inner in ts.tuples {
                    var nt = t
                    nt.focus = inner.focus
                    for (k, v) in inner.bindings { nt.set(k, v) }
                    result.append(nt)
                }
                continue
            }
            let items: ContiguousArray<Value>
            switch res {
            case .json(.array), .array: items = sequenceItems(res)
            default: items = [res]
            }
            for (bb, item) in items.enumerated() {
                var nt = t
                if step.focusSym >= 0 {
                    nt.set(step.focusSym, item)
                } else {
                    nt.focus = item
                }
                if step.indexSym >= 0 { nt.set(step.indexSym, .number(Double(bb))) }
                if step.ancestorSym >= 0 { nt.set(step.ancestorSym, t.focus) }
                result.append(nt)
            }
        }
        if let stages = step.stages {
            if case .tuples(let ts)? = try evaluateStages(stages, .tuples(TupleStream(result)), env) { return ts.tuples }
            return []
        }
        return result
    }

    func evaluateStages(_ stages: [Stage], _ inputIn: Value?, _ env: Frame) throws -> Value? {
        var input = inputIn
        for stage in stages {
            switch stage {
            case .filter(let e, _):
                input = try evaluateFilter(e, input, env)
            case .index(let name):
                if case .tuples(let ts)? = input {
                    let sym = Symbols.id(name)
                    for i in ts.tuples.indices { ts.tuples[i].set(sym, .number(Double(i))) }
                }
            }
        }
        return input
    }

    func evaluateFilter(_ predicate: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        if case .tuples(let ts)? = input {
            var out: [Tuple] = []
            let count = ts.tuples.count
            if predicate.kind == .number, case .number(let d) = predicate.literal {
                var index = Int(d.rounded(.down))
                if index < 0 { index += count }
                if index >= 0 && index < count { out.append(ts.tuples[index]) }
                return .tuples(TupleStream(out))
            }
            for (index, t) in ts.tuples.enumerated() {
                let res = try evaluate(predicate, t.focus, frameFromTuple(env, t))
                if try predicateSelects(res, index: index, count: count) { out.append(t) }
            }
            return .tuples(TupleStream(out))
        }
        if predicate.kind == .number, case .number(let d) = predicate.literal {
            var index = Int(d.rounded(.down))
            var item: Value?
            switch input {
            case .json(.array(let a))?:
                if index < 0 { index += a.count }
                if index >= 0 && index < a.count { item = .json(a[index]) }
            case .array(let b)?:
                if index < 0 { index += b.items.count }
                if index >= 0 && index < b.items.count { item = b.items[index] }
            case let v?:
                if index == 0 || index == -1 { item = v }
            case nil:
                break
            }
            guard let item else { return .sequence([]) }
            if item.isArray { return item }
            return .sequence([item])
        }
        let items = sequenceItems(input)
        var out = ContiguousArray<Value>()
        for (index, item) in items.enumerated() {
            let res = try evaluate(predicate, item, env)
            if try predicateSelects(res, index: index, count: items.count) { out.append(item) }
        }
        return .sequence(out)
    }

    @inline(__always) func predicateSelects(_ res: Value?, index: Int, count: Int) throws -> Bool {
        guard let res else { return false }
        switch res {
        case .json(.number(let d)):
            if !d.isFinite { throw JSONataError(code: "D1001", position: 0, value: .number(d)) }
            var ii = Int(d.rounded(.down))
            if ii < 0 { ii += count }
            return ii == index
        case .json(.bool(let b)):
            return b
        default:
            if res.isArray, let items = res.arrayElements, items.allSatisfy({ $0.numberValue != nil }) {
                for v in items {
                    var ii = Int(v.numberValue!.rounded(.down))
                    if ii < 0 { ii += count }
                    if ii == index { return true }
                }
                return false
            }
            return isTruthy(res)
        }
    }

    // MARK: grouping

    func evaluateGroup(_ pairs: [(Node, Node)], _ position: Int, _ inputIn: Value?, _ env: Frame) throws -> Value? {
        var reduce = false
        var tuples: [Tuple] = []
        var items: ContiguousArray<Value?>
        if case .tuples(let ts)? = inputIn {
            reduce = true
            tuples = ts.tuples
            items = ContiguousArray(ts.tuples.map { Optional($0.focus) })
        } else if let inputIn, inputIn.isArray {
            items = ContiguousArray(sequenceItems(inputIn).map { Optional($0) })
        } else {
            items = [inputIn]
        }
        if items.isEmpty { items = [nil] }
        if !reduce && items.count == 1 {
            return try evaluateObjectForSingle(pairs, position, items[0], env)
        }
        // key -> (accumulated data, pair index); `owned` marks an array this loop built and may grow
        var groups = OrderedDictionary<String, (data: Value?, tuple: Tuple?, exprIndex: Int, owned: Bool)>()
        for (itemIndex, item) in items.enumerated() {
            let reduceItem = reduce && itemIndex < tuples.count
            let itemEnv = reduceItem ? frameFromTuple(env, tuples[itemIndex]) : env
            for (pairIndex, pair) in pairs.enumerated() {
                let key = try evaluate(pair.0, item, itemEnv)
                guard let key else { continue }
                guard case .json(.string(let k)) = key else {
                    throw JSONataError(code: "T1003", position: position, value: key.toJSON())
                }
                if let gi = groups.index(forKey: k) {
                    let existing = groups.values[gi]
                    if existing.exprIndex != pairIndex {
                        throw JSONataError(code: "D1009", position: position, value: .string(k))
                    }
                    if reduceItem {
                        groups.values[gi].tuple = mergeTuples(existing.tuple!, tuples[itemIndex])
                    } else if let item {
                        if existing.owned, case .array(let box)? = existing.data {
                            appendFlattening(item, into: &box.items)
                        } else {
                            groups.values[gi].data = appendValues(existing.data, item)
                            groups.values[gi].owned = existing.data != nil
                        }
                    }
                } else {
                    groups[k] = (item, reduceItem ? tuples[itemIndex] : nil, pairIndex, false)
                }
            }
        }
        var jsonResult = OrderedDictionary<String, JSONValue>()
        var valueResult: OrderedDictionary<String, Value>? = nil
        for (key, entry) in groups {
            var context = entry.data
            var groupEnv = env
            if reduce, let t = entry.tuple {
                context = t.focus
                _ = t
                groupEnv = frameFromTuple(env, t)
            }
            guard let value = try evaluate(pairs[entry.exprIndex].1, context, groupEnv) else { continue }
            if valueResult != nil {
                valueResult![key] = value
            } else if let j = value.toJSONIfPure() {
                jsonResult[key] = j
            } else {
                var vr = OrderedDictionary<String, Value>()
                for (k, v) in jsonResult { vr[k] = .json(v) }
                vr[key] = value
                valueResult = vr
            }
        }
        if let valueResult { return .object(ObjectBox(valueResult)) }
        return .json(.object(jsonResult))
    }

    /// Object constructor over a single context item: every key maps to that item.
    func evaluateObjectForSingle(_ pairs: [(Node, Node)], _ position: Int, _ item: Value?, _ env: Frame) throws -> Value? {
        var keys = ContiguousArray<String>()
        var pairIndex = ContiguousArray<Int>()
        keys.reserveCapacity(pairs.count)
        pairIndex.reserveCapacity(pairs.count)
        for (pi, pair) in pairs.enumerated() {
            let k: String
            if pair.0.kind == .string {
                k = pair.0.text
            } else {
                guard let key = try evaluate(pair.0, item, env) else { continue }
                guard case .json(.string(let ks)) = key else {
                    throw JSONataError(code: "T1003", position: position, value: key.toJSON())
                }
                k = ks
            }
            if let j = keys.firstIndex(of: k) {
                if pairIndex[j] != pi { throw JSONataError(code: "D1009", position: position, value: .string(k)) }
                continue
            }
            keys.append(k)
            pairIndex.append(pi)
        }
        var jsonResult = OrderedDictionary<String, JSONValue>(minimumCapacity: keys.count)
        var valueResult: OrderedDictionary<String, Value>? = nil
        for (i, key) in keys.enumerated() {
            guard let value = try eval(pairs[pairIndex[i]].1, item, env) else { continue }
            if valueResult != nil {
                valueResult![key] = value
            } else if let j = value.toJSONIfPure() {
                jsonResult[key] = j
            } else {
                var vr = OrderedDictionary<String, Value>()
                for (k, v) in jsonResult { vr[k] = .json(v) }
                vr[key] = value
                valueResult = vr
            }
        }
        if let valueResult { return .object(ObjectBox(valueResult)) }
        return .json(.object(jsonResult))
    }

    /// Merges tuple `b` into `a`, appending values of shared bindings (reduceTupleStream).
    func mergeTuples(_ a: Tuple, _ b: Tuple) -> Tuple {
        var out = a
        out.focus = appendValues(a.focus, b.focus) ?? a.focus
        for (k, v) in b.bindings {
            if let existing = out.binding(k) {
                out.set(k, appendValues(existing, v) ?? existing)
            } else {
                out.set(k, v)
            }
        }
        return out
    }

    /// The reference's `fn.append`: concatenates two values into an array.
    func appendValues(_ a: Value?, _ b: Value?) -> Value? {
        guard let a else { return b }
        guard let b else { return a }
        var items = sequenceItems(a)
        if b.isArray { items.append(contentsOf: sequenceItems(b)) } else { items.append(b) }
        return .array(ArrayBox(items, sequence: false))
    }

    // MARK: sorting

    func evaluateSort(_ node: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        guard let input else { return nil }
        if case .tuples(let ts) = input {
            let sorted = try mergeSort(ts.tuples) { a, b in
                try self.sortGreater(node, a.focus, self.frameFromTuple(env, a), b.focus, self.frameFromTuple(env, b))
            }
            return .tuples(TupleStream(sorted))
        }
        let items = sequenceItems(input)
        let sorted = try mergeSort(Array(items)) { a, b in try self.sortGreater(node, a, env, b, env) }
        return .sequence(ContiguousArray(sorted))
    }

    func sortGreater(_ node: Node, _ a: Value, _ aEnv: Frame, _ b: Value, _ bEnv: Frame) throws -> Bool {
        var comp = 0
        for term in node.sortTerms {
            let aa = try evaluate(term.expr, a, aEnv)
            let bb = try evaluate(term.expr, b, bEnv)
            guard let aa else {
                comp = bb == nil ? 0 : 1
                if comp != 0 { break } else { continue }
            }
            guard let bb else {
                comp = -1
                break
            }
            let aOk = aa.numberValue != nil || aa.stringValue != nil
            let bOk = bb.numberValue != nil || bb.stringValue != nil
            if !aOk || !bOk {
                throw JSONataError(code: "T2008", position: node.position, value: (!aOk ? aa : bb).toJSON())
            }
            if let x = aa.numberValue, let y = bb.numberValue {
                if x == y { continue }
                comp = x < y ? -1 : 1
            } else if let x = aa.stringValue, let y = bb.stringValue {
                let c = compareJSStrings(x, y)
                if c == 0 { continue }
                comp = c
            } else {
                throw JSONataError(code: "T2007", position: node.position, value: aa.toJSON(), value2: bb.toJSON())
            }
            if term.descending { comp = -comp }
            break
        }
        return comp == 1
    }
}

/// Stable merge sort where `greater(a, b)` says `a` must come after `b` (the reference's contract).
func mergeSort<T>(_ items: [T], _ greater: (T, T) throws -> Bool) throws -> [T] {
    if items.count <= 1 { return items }
    let mid = items.count / 2
    let left = try mergeSort(Array(items[..<mid]), greater)
    let right = try mergeSort(Array(items[mid...]), greater)
    var out: [T] = []
    out.reserveCapacity(items.count)
    var i = 0, j = 0
    while i < left.count && j < right.count {
        if try greater(left[i], right[j]) {
            out.append(right[j]); j += 1
        } else {
            out.append(left[i]); i += 1
        }
    }
    out.append(contentsOf: left[i...])
    out.append(contentsOf: right[j...])
    return out
}

/// Compares strings by UTF-16 code units, as JavaScript's `<` does.
func compareJSStrings(_ a: String, _ b: String) -> Int {
    if a == b { return 0 }
    var ia = a.utf16.makeIterator()
    var ib = b.utf16.makeIterator()
    while true {
        let x = ia.next(), y = ib.next()
        switch (x, y) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let p?, let q?):
            if p != q { return p < q ? -1 : 1 }
        }
    }
}

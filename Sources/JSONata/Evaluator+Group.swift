import OrderedCollections

extension Evaluator {
    // MARK: grouping

    func evaluateGroup(_ pairs: [(Node, Node)], _ position: Int, _ inputIn: Value?, _ env: Frame,
                       literalKeys: ContiguousArray<String>? = nil) throws -> Value? {
        // a single context item (the usual object constructor) needs no grouping
        switch inputIn {
        case nil, .json(.null)?, .json(.bool)?, .json(.number)?, .json(.string)?, .json(.object)?, .object?, .function?:
            if let literalKeys { return try evaluateLiteralObject(pairs, literalKeys, inputIn, env) }
            return try evaluateObjectForSingle(pairs, position, inputIn, env)
        default:
            break
        }
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
        if !reduce { return try groupItems(pairs, position, items, env) }
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

    /// Grouping of plain (non-tuple) items: each key collects the items that produced it.
    func groupItems(_ pairs: [(Node, Node)], _ position: Int, _ items: ContiguousArray<Value?>, _ env: Frame) throws -> Value? {
        var keys = ContiguousArray<String>()
        var exprIndex = ContiguousArray<Int>()
        var first = ContiguousArray<Value?>()
        var lists = ContiguousArray<ContiguousArray<Value>>()
        var isList = ContiguousArray<Bool>()
        let expected = min(items.count * pairs.count, 16)
        keys.reserveCapacity(expected)
        exprIndex.reserveCapacity(expected)
        first.reserveCapacity(expected)
        lists.reserveCapacity(expected)
        isList.reserveCapacity(expected)
        var lookup: [String: Int]? = nil
        for item in items {
            for (pairIndex, pair) in pairs.enumerated() {
                let key = pair.0.kind == .string ? .string(pair.0.text) : try evaluate(pair.0, item, env)
                guard let key else { continue }
                guard case .json(.string(let k)) = key else {
                    throw JSONataError(code: "T1003", position: position, value: key.toJSON())
                }
                var found: Int? = nil
                if let lookup {
                    found = lookup[k]
                } else {
                    let n = k.utf8.count
                    found = keys.firstIndex { $0.utf8.count == n && $0 == k }
                }
                if let gi = found {
                    if exprIndex[gi] != pairIndex {
                        throw JSONataError(code: "D1009", position: position, value: .string(k))
                    }
                    guard let item else { continue }
                    if !isList[gi] {
                        isList[gi] = true
                        if let f = first[gi] { appendFlattening(f, into: &lists[gi]) }
                    }
                    appendFlattening(item, into: &lists[gi])
                } else {
                    keys.append(k)
                    exprIndex.append(pairIndex)
                    first.append(item)
                    lists.append([])
                    isList.append(false)
                    if lookup != nil {
                        lookup![k] = keys.count - 1
                    } else if keys.count > 16 {
                        var d = [String: Int]()
                        for (i, key) in keys.enumerated() { d[key] = i }
                        lookup = d
                    }
                }
            }
        }
        var jsonKeys = ContiguousArray<String>()
        var jsonValues = ContiguousArray<JSONValue>()
        var valueResult: OrderedDictionary<String, Value>? = nil
        for gi in keys.indices {
            let context: Value? = isList[gi] ? .array(ArrayBox(lists[gi], sequence: false)) : first[gi]
            guard let value = try evaluate(pairs[exprIndex[gi]].1, context, env) else { continue }
            if valueResult != nil {
                valueResult![keys[gi]] = value
            } else if let j = value.toJSONIfPure() {
                jsonKeys.append(keys[gi])
                jsonValues.append(j)
            } else {
                var vr = OrderedDictionary<String, Value>()
                for (k, v) in zip(jsonKeys, jsonValues) { vr[k] = .json(v) }
                vr[keys[gi]] = value
                valueResult = vr
            }
        }
        if let valueResult { return .object(ObjectBox(valueResult)) }
        return .json(.object(OrderedDictionary(uncheckedUniqueKeys: jsonKeys, values: jsonValues)))
    }

    /// Object constructor with distinct literal keys over a single context item.
    func evaluateLiteralObject(_ pairs: [(Node, Node)], _ keys: ContiguousArray<String>, _ item: Value?, _ env: Frame) throws -> Value? {
        var jsonKeys = ContiguousArray<String>()
        var jsonValues = ContiguousArray<JSONValue>()
        jsonKeys.reserveCapacity(keys.count)
        jsonValues.reserveCapacity(keys.count)
        for i in 0..<keys.count {
            guard let value = try eval(pairs[i].1, item, env) else { continue }
            guard let j = value.toJSONIfPure() else {
                return try evaluateObjectForSingle(pairs, 0, item, env)
            }
            jsonKeys.append(keys[i])
            jsonValues.append(j)
        }
        return .json(.object(OrderedDictionary(uncheckedUniqueKeys: jsonKeys, values: jsonValues)))
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
            let n = k.utf8.count
            if let j = keys.firstIndex(where: { $0.utf8.count == n && $0 == k }) {
                if pairIndex[j] != pi { throw JSONataError(code: "D1009", position: position, value: .string(k)) }
                continue
            }
            keys.append(k)
            pairIndex.append(pi)
        }
        var jsonKeys = ContiguousArray<String>()
        var jsonValues = ContiguousArray<JSONValue>()
        jsonKeys.reserveCapacity(keys.count)
        jsonValues.reserveCapacity(keys.count)
        var valueResult: OrderedDictionary<String, Value>? = nil
        for (i, key) in keys.enumerated() {
            guard let value = try eval(pairs[pairIndex[i]].1, item, env) else { continue }
            if valueResult != nil {
                valueResult![key] = value
            } else if let j = value.toJSONIfPure() {
                jsonKeys.append(key)
                jsonValues.append(j)
            } else {
                var vr = OrderedDictionary<String, Value>()
                for (k, v) in zip(jsonKeys, jsonValues) { vr[k] = .json(v) }
                vr[key] = value
                valueResult = vr
            }
        }
        if let valueResult { return .object(ObjectBox(valueResult)) }
        return .json(.object(OrderedDictionary(uncheckedUniqueKeys: jsonKeys, values: jsonValues)))
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
}

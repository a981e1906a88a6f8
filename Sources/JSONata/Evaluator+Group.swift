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
        guard case .tuples(let ts)? = inputIn else {
            // an array (the switch above took every other value)
            let values = sequenceItems(inputIn)
            if values.count > 1 { return try groupItems(pairs, position, values, env) }
            return try evaluateObjectForSingle(pairs, position, values.first, env)
        }
        // a tuple stream (`a@$x{...}`, `a#$i{...}`): each group keeps its items' bindings
        let tuples = ts.tuples
        var items = ContiguousArray(tuples.map { Optional($0.focus) })
        if items.isEmpty { items = [nil] }
        // key -> (accumulated data, pair index); `owned` marks an array this loop built and may grow
        var groups = OrderedDictionary<String, (data: Value?, tuple: Tuple?, exprIndex: Int, owned: Bool)>()
        for (itemIndex, item) in items.enumerated() {
            let reduceItem = itemIndex < tuples.count
            let itemEnv = reduceItem ? frameFromTuple(env, tuples[itemIndex]) : env
            for pairIndex in pairs.indices {
                guard let k = try objectKey(pairs[pairIndex].0, position, item, itemEnv) else { continue }
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
        var object = ObjectBuilder(keys: ContiguousArray(groups.keys))
        for entry in groups.values {
            var context = entry.data
            var groupEnv = env
            if let t = entry.tuple {
                context = t.focus
                groupEnv = frameFromTuple(env, t)
            }
            object.add(try evaluate(pairs[entry.exprIndex].1, context, groupEnv))
        }
        return object.build()
    }

    /// Grouping of plain (non-tuple) items: each key collects the items that produced it.
    func groupItems(_ pairs: [(Node, Node)], _ position: Int, _ items: ContiguousArray<Value>, _ env: Frame) throws -> Value? {
        // the keys in order (they become the object's keys as they are) and, beside them, what
        // each group holds: one array of records, not one array per field
        var keys = [String]()
        var groups = ContiguousArray<GroupEntry>()
        let expected = min(items.count * pairs.count, 16)
        keys.reserveCapacity(expected)
        groups.reserveCapacity(expected)
        var lookup: [String: Int]? = nil
        try pairs.withUnsafeBufferPointer { pairs in
            for itemIndex in items.indices {
                let item = items[itemIndex]
                for pairIndex in pairs.indices {
                    guard let k = try objectKey(pairs[pairIndex].0, position, item, env) else { continue }
                    let found = lookup.map { $0[k] } ?? KeyProbe(k).index(in: keys, k)
                    guard let gi = found else {
                        keys.append(k)
                        groups.append(GroupEntry(pair: pairIndex, first: item))
                        if lookup != nil {
                            lookup![k] = keys.count - 1
                        } else if keys.count > 16 {
                            var d = [String: Int]()
                            for (i, key) in keys.enumerated() { d[key] = i }
                            lookup = d
                        }
                        continue
                    }
                    if groups[gi].pair != pairIndex {
                        throw JSONataError(code: "D1009", position: position, value: .string(k))
                    }
                    if let list = groups[gi].list {
                        appendFlattening(item, into: &list.items)
                    } else {
                        let list = ArrayBox(sequence: false)
                        // room for a few: growing one item at a time reallocated at 1, 2 and 4
                        list.items.reserveCapacity(4)
                        appendFlattening(groups[gi].first, into: &list.items)
                        appendFlattening(item, into: &list.items)
                        groups[gi].list = list
                    }
                }
            }
        }
        var object = ObjectBuilder(keys: ContiguousArray(keys))
        for gi in groups.indices {
            let context: Value = groups[gi].list.map { .array($0) } ?? groups[gi].first
            object.add(try evaluate(pairs[groups[gi].pair].1, context, env))
        }
        return object.build()
    }

    /// Object constructor with distinct literal keys over a single context item.
    func evaluateLiteralObject(_ pairs: [(Node, Node)], _ keys: ContiguousArray<String>, _ item: Value?, _ env: Frame) throws -> Value? {
        var object = ObjectBuilder(keys: keys)
        // read in place: `pairs[i]` copied (retained and released) both nodes of the pair
        try pairs.withUnsafeBufferPointer { pairs in
            for i in 0..<keys.count { object.add(try eval(pairs[i].1, item, env)) }
        }
        return object.build()
    }

    /// Object constructor over a single context item: every key maps to that item.
    func evaluateObjectForSingle(_ pairs: [(Node, Node)], _ position: Int, _ item: Value?, _ env: Frame) throws -> Value? {
        if pairs.count == 1 {
            // one pair (`{$a.type: $a.size}`): no duplicate to look for
            let pair = pairs[0]
            let key = try objectKey(pair.0, position, item, env)
            guard let key else { return .json(.object([:])) }
            var object = ObjectBuilder(keys: [key])
            object.add(try eval(pair.1, item, env))
            return object.build()
        }
        var keys = ContiguousArray<String>()
        keys.reserveCapacity(pairs.count)
        return try withUnsafeTemporaryAllocation(of: Int.self, capacity: pairs.count) { pairOfKey in
            for pi in pairs.indices {
                guard let k = try objectKey(pairs[pi].0, position, item, env) else { continue }
                let n = k.utf8.count
                if let j = keys.firstIndex(where: { $0.utf8.count == n && $0 == k }) {
                    if pairOfKey[j] != pi { throw JSONataError(code: "D1009", position: position, value: .string(k)) }
                    continue
                }
                pairOfKey[keys.count] = pi
                keys.append(k)
            }
            var object = ObjectBuilder(keys: keys)
            for i in keys.indices { object.add(try eval(pairs[pairOfKey[i]].1, item, env)) }
            return object.build()
        }
    }

    /// A key of an object constructor: a string, or nil when undefined (the pair is left out).
    @inline(__always) private func objectKey(_ node: Node, _ position: Int, _ item: Value?, _ env: Frame) throws -> String? {
        if node.kind == .string && !node.annotated { return node.text }
        guard let key = try evaluate(node, item, env) else { return nil }
        guard case .json(.string(let k)) = key else {
            throw JSONataError(code: "T1003", position: position, value: key.toJSON())
        }
        return k
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
        if b.isArray { appendItems(sequenceItems(b), to: &items) } else { items.append(b) }
        return .array(ArrayBox(items, sequence: false))
    }
}

/// One group of `groupItems`: the pair whose key made it, its first item, and, from its second
/// item on, all its items (appended to in place through the box).
private struct GroupEntry {
    let pair: Int
    let first: Value
    var list: ArrayBox?

    init(pair: Int, first: Value) {
        self.pair = pair
        self.first = first
    }
}

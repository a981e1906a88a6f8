import OrderedCollections

extension Value {
    /// A deep copy whose objects are mutable boxes, so a transform can update them in place.
    func mutableCopy() -> Value {
        switch self {
        case .json(.object(let o)):
            var d = OrderedDictionary<String, Value>(minimumCapacity: o.count)
            for (k, v) in o { d[k] = Value.json(v).mutableCopy() }
            return .object(ObjectBox(d))
        case .json(.array(let a)):
            return .array(ArrayBox(ContiguousArray(a.map { Value.json($0).mutableCopy() }), sequence: false))
        case .array(let b):
            return .array(ArrayBox(ContiguousArray(b.items.map { $0.mutableCopy() }), sequence: false))
        case .object(let b):
            var d = OrderedDictionary<String, Value>(minimumCapacity: b.dict.count)
            for (k, v) in b.dict { d[k] = v.mutableCopy() }
            return .object(ObjectBox(d))
        default:
            return self
        }
    }

    /// Freezes mutable boxes back into JSON where possible.
    func frozen() -> Value {
        switch self {
        case .object(let b):
            var d = OrderedDictionary<String, Value>(minimumCapacity: b.dict.count)
            for (k, v) in b.dict { d[k] = v.frozen() }
            return objectValue(d)
        case .array(let b):
            let items = ContiguousArray(b.items.map { $0.frozen() })
            let nb = ArrayBox(items, sequence: b.isSequence)
            nb.keepSingleton = b.keepSingleton
            nb.cons = b.cons
            return .array(nb)
        default:
            return self
        }
    }
}

extension Evaluator {
    func evaluateTransform(_ node: Node, _ env: Frame, _ obj: Value?) throws -> Value? {
        guard let obj else { return nil }
        if let clone = env.lookup(Symbols.clone), !clone.isFunction {
            throw JSONataError(code: "T2013", position: node.position)
        }
        let result = obj.mutableCopy()
        let matches = try evaluate(node.lhs!, result, env)
        if let matches {
            for match in sequenceItems(matches) {
                // A match that is not an object has nothing to update or delete, but its clauses
                // are still evaluated and checked, as the reference checks them: `| a | 5 |` over
                // `{"a": 3}` is T2011 there, not the input unchanged.
                var box: ObjectBox?
                if case .object(let b) = match { box = b }
                if let update = try evaluate(node.rhs!, match, env) {
                    guard let entries = update.objectEntries, !update.isArray else {
                        throw JSONataError(code: "T2011", position: node.rhs!.position, value: update.toJSON())
                    }
                    if let box { for (k, v) in entries { box.dict[k] = v } }
                }
                if let del = node.third, let deletions = try evaluate(del, match, env) {
                    let items = sequenceItems(deletions)
                    guard items.allSatisfy({ $0.stringValue != nil }) else {
                        throw JSONataError(code: "T2012", position: del.position, value: deletions.toJSON())
                    }
                    if let box { for d in items { box.dict.removeValue(forKey: d.stringValue!) } }
                }
            }
        }
        return result.frozen()
    }
}

import OrderedCollections

extension Evaluator {
    /// `**.key`: the members named `key` anywhere under the items, looked up while walking
    /// instead of first materialising every descendant.
    func descendantMembers(_ items: ContiguousArray<Value>, _ key: String, lastStep: Bool) -> Value {
        var walk = DescendantWalk(key: key)
        for item in items {
            if case .json(let j) = item {
                walk.visit(j)
                continue
            }
            var ds = ContiguousArray<Value>()
            recurseDescendants(item, &ds)
            for d in ds {
                if case .json(let j) = d {
                    // visit only this node's own member, not its children again
                    if case .object(let o) = j, let v = objectLookup(o, key) { walk.found(v) }
                } else if let r = lookupName(d, key) {
                    walk.found(r)
                }
            }
        }
        if lastStep && walk.count == 1, let single = walk.single, single.isArray { return single }
        return .sequence(walk.out)
    }
}

/// The members named `key` anywhere in a JSON tree (`**.key`), in document order.
private struct DescendantWalk {
    let key: String
    let keyLength: Int
    var out = ContiguousArray<Value>()
    var count = 0
    /// The first member found, kept whole: a last step with one array member gives that array.
    var single: Value?

    init(key: String) {
        self.key = key
        keyLength = key.utf8.count
    }

    mutating func found(_ v: JSONValue) {
        count &+= 1
        if count == 1 { single = .json(v) }
        if case .array(let a) = v { appendWrapped(a, to: &out) } else { out.append(.json(v)) }
    }

    mutating func found(_ v: Value) {
        count &+= 1
        if count == 1 { single = v }
        appendFlattening(v, into: &out)
    }

    /// The members under a JSON value (the value itself is not a member of anything here).
    mutating func visit(_ j: JSONValue) {
        switch j {
        case .array(let a): visit(array: a)
        case .object(let o): visit(object: o)
        default: break
        }
    }

    /// Each child is switched on in place and only its array or object taken out: copying the
    /// whole child first went through an outlined copy (and its release) per container.
    private mutating func visitChildren(_ buffer: UnsafeBufferPointer<JSONValue>) {
        for index in buffer.indices {
            switch buffer[index] {
            case .array(let a): visit(array: a)
            case .object(let o): visit(object: o)
            default: continue
            }
        }
    }

    private mutating func visit(array a: [JSONValue]) {
        a.withUnsafeBufferPointer { visitChildren($0) }
    }

    private mutating func visit(object o: OrderedDictionary<String, JSONValue>) {
        o.values.withUnsafeBufferPointer { buffer in
            if o.count <= 16 {
                // the member and the children read through one borrow of the values
                let keys = o.keys.elements
                for i in keys.indices where keys[i].utf8.count == keyLength && sameText(keys[i], key) {
                    found(buffer[i])
                    break
                }
            } else if let v = o[key] {
                found(v)
            }
            visitChildren(buffer)
        }
    }
}

extension Evaluator {
    // MARK: predicates and index filters

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
                let index = itemIndex(d, count: count)
                if index >= 0 && index < count { out.append(ts.tuples[index]) }
                return .tuples(TupleStream(out))
            }
            for (index, t) in ts.tuples.enumerated() {
                let res = try evaluate(predicate, t.focus, frameFromTuple(env, t))
                for _ in 0..<(try predicateMatches(res, index: index, count: count)) { out.append(t) }
            }
            return .tuples(TupleStream(out))
        }
        if predicate.kind == .number, case .number(let d) = predicate.literal {
            var item: Value?
            switch input {
            case .json(let j)?:
                if let picked = literalPick(d, from: j) { item = .json(picked) }
            case .array(let b)?:
                let index = itemIndex(d, count: b.items.count)
                if index >= 0 && index < b.items.count { item = b.items[index] }
            case let v?:
                let index = flooredInt(d)
                if index == 0 || index == -1 { item = v }
            case nil:
                break
            }
            guard let item else { return .sequence([]) }
            if item.isArray { return item }
            return .sequence([item])
        }
        if case .json(.array(let elements))? = input, predicate.constantNumbers == nil, !predicate.constantIndexes {
            // An array from the input is filtered in place: its elements are wrapped one at a
            // time, not first copied into a sequence of their own.
            switch try pick(elements, by: predicate, env) {
            case .none: return .sequence([])
            case .one(let element): return .sequence([.json(element)])
            case .many(let kept): return .sequence(kept)
            }
        }
        let items = sequenceItems(input)
        var out = ContiguousArray<Value>()
        if let numbers = predicate.constantNumbers {
            // `[[0..2]]`: the indexes are known from the expression; pick them in item order
            withSelectionCounts(numbers, count: items.count) { times in
                for index in items.indices {
                    for _ in 0..<times[index] { out.append(items[index]) }
                }
            }
            return .sequence(out)
        }
        // a constant predicate too long to work out when compiling (`[[0..5000]]`) is evaluated
        // once, where the first item would evaluate it
        if predicate.constantIndexes && !items.isEmpty {
            let constant = try evaluate(predicate, items[0], env)
            for index in items.indices {
                for _ in 0..<(try predicateMatches(constant, index: index, count: items.count)) { out.append(items[index]) }
            }
            return .sequence(out)
        }
        // by index: enumerating copied (retained and released) every item
        out.reserveCapacity(items.count)
        for index in items.indices {
            let res = try eval(predicate, items[index], env)
            for _ in 0..<(try predicateMatches(res, index: index, count: items.count)) { out.append(items[index]) }
        }
        return .sequence(out)
    }

    /// The elements of an input array that `predicate` keeps, evaluated element by element as
    /// `evaluateFilter` evaluates them, told apart by how many it kept: one kept element is
    /// handed back by itself, with no sequence made for it.
    func pick(_ elements: [JSONValue], by predicate: Node, _ env: Frame) throws -> ElementPick {
        var first = -1
        var kept = ContiguousArray<Value>()
        for index in elements.indices {
            let times = try predicateMatches(try eval(predicate, .json(elements[index]), env), index: index, count: elements.count)
            if times == 0 { continue }
            if times == 1 && first < 0 && kept.isEmpty {
                first = index
                continue
            }
            if kept.isEmpty {
                // a second element (or one kept twice): from here on, a sequence of them all
                kept.reserveCapacity(elements.count)
                if first >= 0 { kept.append(.json(elements[first])) }
            }
            for _ in 0..<times { kept.append(.json(elements[index])) }
        }
        if !kept.isEmpty { return .many(kept) }
        return first >= 0 ? .one(elements[first]) : .none
    }

    /// The elements the index list `numbers` selects, in element order, each as many times as the
    /// list names it (as `evaluateFilter` selects them).
    func select(_ elements: [JSONValue], by numbers: [Double]) -> ContiguousArray<Value> {
        var out = ContiguousArray<Value>()
        out.reserveCapacity(min(numbers.count, elements.count))
        withSelectionCounts(numbers, count: elements.count) { times in
            for index in elements.indices {
                for _ in 0..<times[index] { out.append(.json(elements[index])) }
            }
        }
        return out
    }

    /// Calls `body` with how many times each of `count` items is selected by the index list
    /// `numbers` (as `predicateMatches` counts them item by item), counted on the stack: an array
    /// of them was not specialized and looked its type up at run time, some 250 instructions.
    func withSelectionCounts(_ numbers: [Double], count: Int, _ body: (UnsafeBufferPointer<Int>) -> Void) {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { times in
            times.initialize(repeating: 0)
            for d in numbers {
                let index = itemIndex(d, count: count)
                if index >= 0 && index < count { times[index] &+= 1 }
            }
            body(UnsafeBufferPointer(times))
        }
    }

    /// How many times a predicate's result `res` selects the item at `index` of `count`: once
    /// for a true value or a matching index, and once per matching entry of an array of
    /// indexes, which the reference keeps (`[[0, 0]]` gives the first item twice).
    @inline(__always) func predicateMatches(_ res: Value?, index: Int, count: Int) throws -> Int {
        guard let res else { return 0 }
        switch res {
        case .json(.number(let d)):
            if !d.isFinite { throw JSONataError(code: "D1001", position: 0, value: .number(d)) }
            return itemIndex(d, count: count) == index ? 1 : 0
        case .json(.bool(let b)):
            return b ? 1 : 0
        default:
            if res.isArray, let items = res.arrayElements, items.allSatisfy({ $0.numberValue != nil }) {
                var matches = 0
                for v in items where itemIndex(v.numberValue!, count: count) == index { matches += 1 }
                return matches
            }
            return isTruthy(res) ? 1 : 0
        }
    }
}

/// What a literal index (`[d]`) picks from one JSON value: an array's element, the index floored
/// and counted from the end when negative, or any other value itself at index 0 or -1.
@inline(__always) func literalPick(_ d: Double, from value: JSONValue) -> JSONValue? {
    // written out with `if`: a `nil` beside a JSONValue in `?:` would be read as JSON null
    if case .array(let elements) = value {
        let index = itemIndex(d, count: elements.count)
        if index >= 0 && index < elements.count { return elements[index] }
        return nil
    }
    let index = flooredInt(d)
    if index == 0 || index == -1 { return value }
    return nil
}

/// An index into `count` items from a number, the reference's way: floored, and counted from
/// the end when negative.
@inline(__always) func itemIndex(_ d: Double, count: Int) -> Int {
    let index = flooredInt(d)
    return index < 0 ? index + count : index
}

/// What a predicate kept of an array's elements (`Evaluator.pick`).
enum ElementPick {
    case none
    case one(JSONValue)
    case many(ContiguousArray<Value>)
}

extension Node {
    /// The predicate of a step whose one stage is a predicate evaluated item by item: not a
    /// literal index, nor an index list known when compiling (`evaluateFilter` picks those).
    var onlyPredicate: Node? {
        guard let stages, stages.count == 1, case .filter(let predicate, _) = stages[0] else { return nil }
        if predicate.constantIndexes { return nil }
        if predicate.kind == .number, case .number = predicate.literal { return nil }
        return predicate
    }
}

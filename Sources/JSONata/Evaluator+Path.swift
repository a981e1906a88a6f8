import OrderedCollections

extension Evaluator {
    /// Items of a value treated as a sequence (an array's elements, or the value alone).
    @inline(__always) func sequenceItems(_ v: Value?) -> ContiguousArray<Value> {
        guard let v else { return [] }
        switch v {
        case .json(.array(let a)): return wrappedItems(a)
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
        if steps[0].kind == .variable {
            cur = evaluateVariable(steps[0], input, env)
            if case .array(let b)? = cur, b.isSequence {
                cur = b.items.isEmpty ? nil : (b.items.count == 1 && !b.keepSingleton ? b.items[0] : cur)
            }
        } else {
            // The first step reads the input in place: copying it into `cur` cost a copy and a
            // release of the whole context on every path.
            guard let input else { return nil }
            switch input {
            case .json(.object(let o)):
                cur = objectLookup(o, steps[0].text).map { .json($0) }
            case .object(let b):
                cur = b.dict[steps[0].text]
            case .json(.array), .array, .tuples:
                return try evaluatePath(expr, input, env)
            default:
                return nil
            }
            if steps.count == 1 { return cur }
        }
        return try continueSimplePath(expr, from: 1, cur, env)
    }

    /// The rest of `evaluateSimplePath` from step `index` on, with `cur` the value so far.
    @inline(__always)
    private func continueSimplePath(_ expr: Node, from start: Int, _ value: consuming Value?, _ env: Frame) throws -> Value? {
        let steps = expr.steps
        var cur = value
        var index = start
        let last = steps.count - 1
        while index <= last {
            guard let c = cur else { return nil }
            let v: Value?
            switch c {
            case .json(.object(let o)):
                v = objectLookup(o, steps[index].text).map { .json($0) }
            case .object(let b):
                v = b.dict[steps[index].text]
            case .json(.array(let a)):
                // The name is looked up in each element in place, without first copying the
                // elements into a sequence of their own.
                let r = nameStep(over: a, steps[index].text, lastStep: index == last)
                // the last step's one array found (not a sequence) is the result even when empty:
                // `d.b` over `{"d": [{"b": []}]}` is `[]`, as in the reference
                if index == last && !r.isSequence { return r }
                guard r.arrayCount > 0 else { return nil }
                if index < last { return try finishPath(expr, from: index + 1, items: sequenceItems(r), env) }
                return unwrappingSingleton(r)
            case .array, .tuples:
                return try finishPath(expr, from: index, items: sequenceItems(c), env)
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

    func finishPath(_ expr: Node, from start: Int, items: ContiguousArray<Value>, _ env: Frame) throws -> Value? {
        var inputItems = items
        var result: Value? = nil
        let steps = expr.steps
        let lastIndex = steps.count - 1
        for ii in start...lastIndex {
            result = try evaluateStep(steps[ii], inputItems, env, lastStep: ii == lastIndex)
            // (the last step's one array found is the result even when empty, as above)
            if ii == lastIndex, let r = result, r.isArray && !r.isSequence { return r }
            guard let r = result, r.isArray, r.arrayCount > 0 else { return nil }
            if ii < lastIndex {
                switch r {
                case .json(.array(let a)): inputItems = wrappedItems(a)
                case .array(let b): inputItems = b.items
                default: inputItems = [r]
                }
            }
        }
        return result.flatMap(unwrappingSingleton)
    }

    /// A path's result as it is returned: an empty sequence is undefined and a sequence of one
    /// (not marked to stay an array) is its item.
    @inline(__always) func unwrappingSingleton(_ result: Value) -> Value? {
        if case .array(let box) = result, box.isSequence {
            if box.items.isEmpty { return nil }
            if box.items.count == 1 && !box.keepSingleton { return box.items[0] }
        }
        return result
    }

    func evaluatePath(_ expr: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        let steps = expr.steps
        // the reference iterates `[undefined]` when there is no input: the first step then runs
        // once without context (no items here)
        var inputItems: ContiguousArray<Value> = []
        let undefinedContext = input == nil
        var inputValue: Value?
        /// Whether the items are the input alone, made only when the head walk below does not
        /// find the first steps' items itself (an array of one is an allocation on every path).
        var itemsAreTheInput = false
        if steps[0].kind != .variable, let input, input.isArray {
            inputValue = input
            switch input {
            case .json(.array(let a)): inputItems = wrappedItems(a)
            case .array(let b): inputItems = b.items
            default: inputItems = [input]
            }
        } else {
            itemsAreTheInput = true
            if steps[0].consArray { inputValue = input.map { .sequence([$0]) } ?? .sequence([]) }
        }
        var result: Value? = nil
        var isTupleStream = false
        var tuples: [Tuple]? = nil
        let lastIndex = steps.count - 1
        var ii = -1
        if expr.group == nil && !expr.keepSingletonArray, case .json(.object(let root))? = input {
            // Leading plain names over single objects (`sender.profile` of
            // `sender.profile.contacts[type = "x"]`), and literal indexes that pick one object
            // (`commits[-1]` of `commits[-1].author.name`), are looked up directly: the steps below
            // would build a sequence of one for each. The walk stops at any other step and at a
            // member it cannot pass through (the steps below then take that step as usual); an
            // array member of a plain name is the next steps' items, as the name step would have
            // made them. Reaching the last step, it gives what that step would have given, or, when
            // nothing on the path node itself reads the sequence, its one item as `evaluate` would
            // unwrap it.
            var object = root
            var walked = 0
            var items: [JSONValue]?
            var selected: ContiguousArray<Value>?
            walk: while steps[walked].kind == .name, !steps[walked].tuple {
                let step = steps[walked]
                if step.plain {
                    guard let member = objectLookup(object, step.text) else { break }
                    if walked == lastIndex {
                        // a name step over one object: an array found is the result as it is
                        if case .array = member { return .json(member) }
                        return expr.annotated ? .sequence([.json(member)]) : .json(member)
                    }
                    switch member {
                    case .object(let next):
                        object = next
                        walked += 1
                        continue walk
                    case .array(let elements):
                        items = elements
                        walked += 1
                    default:
                        break
                    }
                    break walk
                }
                if let indexes = step.literalIndexes {
                    // an index list over an array member: the items it selects are the step's results
                    guard case .array(let elements)? = objectLookup(object, step.text) else { break }
                    let picked = select(elements, by: indexes)
                    if walked == lastIndex || picked.isEmpty { return .sequence(picked) }
                    selected = picked
                    walked += 1
                    break
                }
                if step.filteredName && step.literalIndex == nil {
                    // predicates over one object's member (`contacts[type = "x"]` of
                    // `sender.profile.contacts[type = "x"].value`): the member filtered as the step
                    // below would filter it, without first wrapping the object in a sequence of one
                    guard let member = objectLookup(object, step.text) else { break }
                    if case .array(let elements) = member, let predicate = step.onlyPredicate {
                        let picked: ContiguousArray<Value>
                        switch try pick(elements, by: predicate, env) {
                        case .one(let element) where !element.isArray:
                            // one element kept (`contacts[type = "x"]`): carried on by itself, with
                            // no sequence made for it
                            if walked == lastIndex { return expr.annotated ? .sequence([.json(element)]) : .json(element) }
                            if walked + 1 >= expr.simpleTail { return try continueSimplePath(expr, from: walked + 1, .json(element), env) }
                            picked = [.json(element)]
                        case .one(let element): picked = [.json(element)]
                        case .many(let items): picked = items
                        case .none: picked = []
                        }
                        if walked == lastIndex || picked.isEmpty { return .sequence(picked) }
                        selected = picked
                        walked += 1
                        break walk
                    }
                    let filtered = try filteredMember(member, step, env)
                    // last, an array (not a sequence) that a literal index picked is the result as it is
                    if walked == lastIndex, let filtered, filtered.isArray && !filtered.isSequence { return filtered }
                    let picked = stepItems(filtered)
                    // in a box of their own, so that flags set on the result stay off the filter's sequence
                    if walked == lastIndex || picked.isEmpty { return .sequence(picked) }
                    selected = picked
                    walked += 1
                    break
                }
                guard let literalIndex = step.literalIndex, let member = objectLookup(object, step.text),
                      let picked = literalPick(literalIndex, from: member) else { break }
                if case .array = picked { break }
                if walked == lastIndex { return expr.annotated ? .sequence([.json(picked)]) : .json(picked) }
                guard case .object(let next) = picked else { break }
                object = next
                walked += 1
            }
            if let selected {
                if selected.count == 1, !selected[0].isArray, walked >= expr.simpleTail {
                    // one item left and only plain names after it, as the loop below would find
                    return try continueSimplePath(expr, from: walked, selected[0], env)
                }
                inputItems = selected
                ii = walked - 1
            } else if let items {
                inputItems = ContiguousArray<Value>()
                inputItems.reserveCapacity(items.count)
                for index in items.indices { inputItems.append(.json(items[index])) }
                ii = walked - 1
            } else if walked > 0 {
                inputItems = [.json(.object(object))]
                ii = walked - 1
            }
        }
        // (every branch of the walk that finds items also moves `ii` past the steps it took)
        if itemsAreTheInput && ii < 0, let input { inputItems = [input] }
        while ii < lastIndex {
            ii += 1
            let step = steps[ii]
            if step.tuple { isTupleStream = true }
            if !isTupleStream && step.kind == .descendant && step.plain && ii < lastIndex
                && steps[ii + 1].kind == .name && steps[ii + 1].plain && !steps[ii + 1].tuple
            {
                // `**.name`: look the name up while walking, without materialising every descendant
                ii += 1
                result = descendantMembers(inputItems, steps[ii].text, lastStep: ii == lastIndex)
                guard let r = result, r.arrayCount > 0 else { break }
                if ii < lastIndex { inputItems = sequenceItems(r) }
                continue
            }
            if ii == 0 && step.consArray {
                result = try evaluate(step, inputValue, env)
                if ii < lastIndex, !isTupleStream, let single = result, !single.isArray {
                    // A filtered array constructor (`[a, b][0]`) gives one value, not an array. The
                    // reference then iterates it by index like an array: a non-empty string by its
                    // UTF-16 code units, any other value as holding nothing. Later steps see that.
                    if case .json(.string(let text)) = single, !text.isEmpty {
                        result = .sequence(ContiguousArray(text.utf16.map { .string(String(decoding: [$0], as: UTF16.self)) }))
                    } else if case .json(.string) = single {
                        break
                    } else {
                        result = .sequence([])
                    }
                }
            } else if isTupleStream {
                tuples = try evaluateTupleStep(step, inputItems, tuples, env)
            } else {
                result = try evaluateStep(step, inputItems, env, lastStep: ii == lastIndex, undefinedContext: ii == 0 && undefinedContext)
            }
            if !isTupleStream {
                guard let r = result, r.isArray, r.arrayCount > 0 else {
                    if result == nil { result = .sequence([]) }
                    break
                }
                if ii < lastIndex, ii + 1 >= expr.simpleTail, case .array(let b) = r, b.isSequence, b.items.count == 1,
                   !b.items[0].isArray {
                    // One item left and only plain names after it (`commits[-1].author.name`):
                    // walk them directly instead of building a sequence per step.
                    return try continueSimplePath(expr, from: ii + 1, b.items[0], env)
                }
            }
            if step.focus == nil, !isTupleStream || ii == 0 && step.consArray, let r = result {
                switch r {
                case .json(.array(let a)): inputItems = wrappedItems(a)
                case .array(let b): inputItems = b.items
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
            case .json(.array(let a))? where !a.isEmpty:
                // a plain array from the input: promote to a sequence we can flag (an empty one
                // stays as it is: an empty sequence would be undefined, and `a[]` over `[]` is `[]`)
                let seq = ArrayBox(wrappedItems(a), sequence: true)
                seq.keepSingleton = true
                result = .array(seq)
            default: break
            }
        }
        if let g = expr.group {
            if isTupleStream {
                result = try evaluateGroup(g.pairs, g.position, .tuples(TupleStream(tuples ?? [])), env, literalKeys: expr.groupLiteralKeys)
            } else {
                result = try evaluateGroup(g.pairs, g.position, result, env, literalKeys: expr.groupLiteralKeys)
            }
        }
        return result
    }

    /// What a step's predicates keep of `member`. Kept out of `evaluatePath`, whose other paths
    /// it would slow down there.
    @inline(never)
    private func filteredMember(_ member: JSONValue, _ step: Node, _ env: Frame) throws -> Value? {
        var filtered: Value? = .json(member)
        for case .filter(let predicate, _) in step.stages! { filtered = try evaluateFilter(predicate, filtered, env) }
        return filtered
    }

    /// The items of what one context item gave a step, flattened as `evaluateStep` flattens them
    /// (a constructed array stays one item).
    @inline(never)
    private func stepItems(_ result: Value?) -> ContiguousArray<Value> {
        switch result {
        case nil: return []
        case .json(.array(let a))?: return wrappedItems(a)
        case .array(let b)?: return b.cons ? [result!] : b.items
        case .tuples(let t)?: return ContiguousArray(t.tuples.map(\.focus))
        case let v?: return [v]
        }
    }

    /// A plain name step over the elements of an input array: `evaluateStep`'s fast path for
    /// items that are all JSON, reading them in place.
    func nameStep(over items: [JSONValue], _ key: String, lastStep: Bool) -> Value {
        var results = NameStepResults(capacity: items.count)
        items.withUnsafeBufferPointer { buffer in
            for index in buffer.indices {
                switch buffer[index] {
                case .object:
                    if let v = jsonMember(buffer[index], key) { results.add(member: v) }
                case .array:
                    results.add(lookup: lookupName(.json(buffer[index]), key))
                default:
                    continue
                }
            }
        }
        return results.result(lastStep: lastStep)
    }

    func evaluateStep(_ step: Node, _ input: ContiguousArray<Value>, _ env: Frame, lastStep: Bool, undefinedContext: Bool = false) throws -> Value {
        if step.kind == .sort {
            var r = try evaluateSort(step, .sequence(input), env)
            if let stages = step.stages { r = try evaluateStages(stages, r, env) }
            return r ?? .sequence([])
        }
        if step.kind == .name && step.plain && !undefinedContext {
            let key = step.text
            var results = NameStepResults(capacity: input.count)
            // by index: iterating copied (retained and released) every item
            for index in input.indices {
                switch input[index] {
                case .json(let j) where j.isObject:
                    if let v = jsonMember(j, key) { results.add(member: v) }
                default:
                    results.add(lookup: lookupName(input[index], key))
                }
            }
            return results.result(lastStep: lastStep)
        }
        var results = ContiguousArray<Value>()
        results.reserveCapacity(input.count)
        let contexts: ContiguousArray<Value?> = undefinedContext ? [nil] : []
        for index in input.indices {
            var res = try evaluate(step, input[index], env)
            if let stages = step.stages {
                for case .filter(let e, _) in stages { res = try evaluateFilter(e, res, env) }
            }
            if let res { results.append(res) }
        }
        for item in contexts {
            var res = try evaluate(step, item, env)
            if let stages = step.stages {
                for case .filter(let e, _) in stages { res = try evaluateFilter(e, res, env) }
            }
            if let res { results.append(res) }
        }
        if results.count == 1 {
            if lastStep && results[0].isArray && !results[0].isSequence { return results[0] }
            // one item's sequence (a filter's result) is already flat: its items, in a box of
            // their own so that flags set on the step's result stay off the item's sequence
            if case .array(let b) = results[0], b.isSequence && !b.cons { return .sequence(b.items) }
        }
        // flattened size, and whether anything needs flattening at all
        var total = 0
        var flat = true
        for index in results.indices {
            switch results[index] {
            case .json(.array(let a)): total &+= a.count; flat = false
            case .array(let b): total &+= b.cons ? 1 : b.items.count; flat = false
            case .tuples(let t): total &+= t.tuples.count; flat = false
            default: total &+= 1
            }
        }
        if flat { return .sequence(results) }
        var out = ContiguousArray<Value>()
        out.reserveCapacity(total)
        for r in results {
            switch r {
            case .json(.array(let a)):
                appendWrapped(a, to: &out)
            case .array(let b):
                if b.cons { out.append(r) } else { appendItems(b.items, to: &out) }
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

    func evaluateTupleStep(_ step: Node, _ input: ContiguousArray<Value>, _ tuplesIn: [Tuple]?, _ env: Frame) throws -> [Tuple] {
        if step.kind == .sort {
            var result: Value?
            if let tuplesIn {
                result = try evaluateSort(step, .tuples(TupleStream(tuplesIn)), env)
            } else {
                let sorted = try evaluateSort(step, .sequence(input), env)
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
        let tuples: [Tuple] = tuplesIn ?? input.map { Tuple(focus: $0, bindings: []) }
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
}

extension Evaluator {
    // MARK: sorting

    func evaluateSort(_ node: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        guard let input else { return nil }
        if case .tuples(let ts) = input {
            let tuples = ts.tuples
            let order = try sortedOrder(node, count: tuples.count) { item, term in
                try self.evaluate(term, tuples[item].focus, self.frameFromTuple(env, tuples[item]))
            }
            return .tuples(TupleStream(order.map { tuples[$0] }))
        }
        let items = sequenceItems(input)
        let order = try sortedOrder(node, count: items.count) { item, term in try self.evaluate(term, items[item], env) }
        var sorted = ContiguousArray<Value>()
        sorted.reserveCapacity(items.count)
        for index in order { sorted.append(items[index]) }
        return .sequence(sorted)
    }

    /// The stable order of `count` items under the sort terms of `node`. Each item's value for a
    /// term is evaluated once, the first time a comparison needs it (a merge sort compares an
    /// item about log2(count) times), so evaluations and their errors come in the same order as
    /// when every comparison evaluated both sides afresh.
    private func sortedOrder(_ node: Node, count: Int, _ key: (_ item: Int, _ term: Node) throws -> Value?) throws -> [Int] {
        let terms = node.sortTerms
        if terms.count == 1 && count > 1, let order = oneTermOrder(terms[0], count: count, key) { return order }
        var cache: ContiguousArray<Value??> = undefinedValues(count * terms.count)
        // read and written through the buffer: a captured array is checked for exclusive access
        // on every use
        return try cache.withUnsafeMutableBufferPointer { slots in
            func value(_ item: Int, _ term: Int) throws -> Value? {
                let slot = item * terms.count + term
                if let known = slots[slot] { return known }
                let computed = try key(item, terms[term].expr)
                slots[slot] = .some(computed)
                return computed
            }
            return try mergeSort(Array(0..<count)) { a, b in
                try self.sortGreater(node) { term, second in try value(second ? b : a, term) }
            }
        }
    }

    /// The order under one sort term whose values are all numbers, or all strings, undefined
    /// values allowed (`^(>download_count)`): the values are worked out first, item by item, and
    /// compared directly. Nil (for the general path) when they are mixed or any of them fails:
    /// every item is compared at least once, so evaluating them all up front gives the same
    /// order, and a failure is left to the general path to raise in the order it would.
    private func oneTermOrder(_ term: (expr: Node, descending: Bool), count: Int,
                              _ key: (_ item: Int, _ term: Node) throws -> Value?) -> [Int]? {
        var numbers = ContiguousArray<Double?>()
        var strings = ContiguousArray<String?>()
        /// Appends, making room for every item at the first (growing one by one reallocated at
        /// the first, second, fourth and eighth item).
        func add<T>(_ value: T?, to list: inout ContiguousArray<T?>) {
            if list.capacity == 0 { list.reserveCapacity(count) }
            list.append(value)
        }
        for item in 0..<count {
            let found: Value?
            do { found = try key(item, term.expr) } catch { return nil }
            guard let value = found else {
                if numbers.count == item { add(nil, to: &numbers) }
                if strings.count == item { add(nil, to: &strings) }
                continue
            }
            switch value {
            case .json(.number(let d)) where numbers.count == item: add(d, to: &numbers)
            case .json(.string(let text)) where strings.count == item: add(text, to: &strings)
            default: return nil
            }
        }
        // all undefined, or a mix of numbers and strings (an error the general path raises)
        if numbers.count == count && strings.count == count { return Array(0..<count) }
        if numbers.count != count && strings.count != count { return nil }
        let descending = term.descending
        if numbers.count == count {
            return try? mergeSort(Array(0..<count)) { a, b in
                // undefined sorts last whichever the direction
                guard let x = numbers[a] else { return numbers[b] != nil }
                guard let y = numbers[b] else { return false }
                if x == y { return false }
                return descending ? x < y : x > y
            }
        }
        return try? mergeSort(Array(0..<count)) { a, b in
            guard let x = strings[a] else { return strings[b] != nil }
            guard let y = strings[b] else { return false }
            let c = compareJSStrings(x, y)
            if c == 0 { return false }
            return descending ? c < 0 : c > 0
        }
    }

    /// Whether the item whose term values `key(term, false)` gives sorts after the one `key(term, true)` gives.
    func sortGreater(_ node: Node, _ key: (_ term: Int, _ second: Bool) throws -> Value?) throws -> Bool {
        var comp = 0
        let terms = node.sortTerms
        for index in terms.indices {
            let term = terms[index]
            let aa = try key(index, false)
            let bb = try key(index, true)
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
/// Sorts in place with one scratch buffer; the comparisons made (and their order) are those of
/// the plain top-down recursion, so comparators with errors behave exactly as before.
func mergeSort<T>(_ items: consuming [T], _ greater: (T, T) throws -> Bool) throws -> [T] {
    var a = items
    if a.count > 1 { try a.withUnsafeMutableBufferPointer { try mergeSortInPlace($0, greater) } }
    return a
}

/// `mergeSort` for the evaluator's own arrays (avoids converting to and from `Array`).
func mergeSort<T>(_ items: consuming ContiguousArray<T>, _ greater: (T, T) throws -> Bool) throws -> ContiguousArray<T> {
    var a = items
    if a.count > 1 { try a.withUnsafeMutableBufferPointer { try mergeSortInPlace($0, greater) } }
    return a
}

/// Sorts `a` with a scratch copy on the stack (where it fits): a second array cost an allocation
/// per sort, and taking the items consumed spares a copy of an array nothing else holds.
private func mergeSortInPlace<T>(_ a: UnsafeMutableBufferPointer<T>, _ greater: (T, T) throws -> Bool) throws {
    try withUnsafeTemporaryAllocation(of: T.self, capacity: a.count) { scratch in
        _ = scratch.initialize(fromContentsOf: a)
        defer { _ = scratch.deinitialize() }
        try mergeSortRange(a, scratch, 0, a.count, greater)
    }
}

/// Sorts `a[lo..<hi]` in place, using the same range of `s` as scratch.
private func mergeSortRange<T>(_ a: UnsafeMutableBufferPointer<T>, _ s: UnsafeMutableBufferPointer<T>,
                               _ lo: Int, _ hi: Int, _ greater: (T, T) throws -> Bool) throws {
    if hi - lo <= 1 { return }
    let mid = lo + (hi - lo) / 2
    try mergeSortRange(a, s, lo, mid, greater)
    try mergeSortRange(a, s, mid, hi, greater)
    for k in lo..<hi { s[k] = a[k] }
    var i = lo, j = mid, k = lo
    while i < mid && j < hi {
        if try greater(s[i], s[j]) {
            a[k] = s[j]; j += 1
        } else {
            a[k] = s[i]; i += 1
        }
        k += 1
    }
    while i < mid { a[k] = s[i]; i += 1; k += 1 }
    while j < hi { a[k] = s[j]; j += 1; k += 1 }
}

/// Compares strings by UTF-16 code units, as JavaScript's `<` does: -1, 0 or 1.
///
/// Read as UTF-8 bytes, without transcoding. Up to the first byte that differs the two strings
/// hold the same characters, and from there UTF-8 byte order is code point order, which is
/// UTF-16 order except between a character past U+FFFF (a surrogate pair, D800-DBFF first) and
/// one in U+E000-U+FFFF: the first sorts before the second in UTF-16 and after it by code point.
func compareJSStrings(_ a: String, _ b: String) -> Int {
    var a = a, b = b
    return a.withUTF8 { x in b.withUTF8 { y in compareUTF16Order(x, y) } }
}

/// `compareJSStrings` over the strings' UTF-8 bytes.
func compareUTF16Order(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
    let shorter = min(x.count, y.count)
    var index = 0
    while index < shorter && x[index] == y[index] { index &+= 1 }
    if index == shorter { return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1) }
    let p = x[index], q = y[index]
    // Inside a character (a continuation byte) both characters share their lead byte, so they
    // are the same length and compare alike in every order; at a character's start, only a
    // four-byte lead (F0-F4) against a lead of U+E000-U+FFFF (EE, EF) turns round.
    if p & 0xC0 != 0x80 {
        if p >= 0xF0 && (q == 0xEE || q == 0xEF) { return -1 }
        if q >= 0xF0 && (p == 0xEE || p == 0xEF) { return 1 }
    }
    return p < q ? -1 : 1
}

/// What a plain name step finds in each item, flattened the reference's way: an array found
/// is spliced into the results, and a step that finds one array, alone, gives that array.
struct NameStepResults {
    private var out = ContiguousArray<Value>()
    private var count = 0
    private var single: Value?

    init(capacity: Int) { out.reserveCapacity(capacity) }

    /// A member found in a JSON object.
    @inline(__always) mutating func add(member v: JSONValue) {
        if case .array(let a) = v {
            count += 1
            if count == 1 { single = .json(v) }
            appendWrapped(a, to: &out)
            return
        }
        add(.json(v))
    }

    /// What looking the name up in any other item gave (a sequence of one counts as its item).
    @inline(__always) mutating func add(lookup found: Value?) {
        var r = found
        if case .array(let b)? = r, b.isSequence {
            r = b.items.isEmpty ? nil : (b.items.count == 1 ? b.items[0] : r)
        }
        if let r { add(r) }
    }

    @inline(__always) private mutating func add(_ r: Value) {
        count += 1
        if count == 1 { single = r }
        switch r {
        case .json(.array(let a)):
            appendWrapped(a, to: &out)
        case .array(let b):
            if b.cons { out.append(r) } else { appendItems(b.items, to: &out) }
        default:
            out.append(r)
        }
    }

    func result(lastStep: Bool) -> Value {
        if lastStep && count == 1, let single, single.isArray, !single.isSequence { return single }
        return .sequence(out)
    }
}

/// A lexical scope of variable bindings, chained to its enclosing scope.
@_eagerMove final class Frame {
    @exclusivity(unchecked) var names: ContiguousArray<Int32> = []
    @exclusivity(unchecked) var values: ContiguousArray<Value?> = []
    let parent: Frame?

    init(parent: Frame?) { self.parent = parent }

    /// A frame binding `names` to `values` (same length) at once.
    init(parent: Frame?, names: ContiguousArray<Int32>, values: ContiguousArray<Value?>) {
        self.parent = parent
        self.names = names
        self.values = values
    }

    /// Binds `name`; binding undefined (nil) shadows outer bindings of the same name.
    @inline(__always) func bind(_ name: Int32, _ value: Value?) {
        for i in names.indices where names[i] == name {
            values[i] = value
            return
        }
        if names.isEmpty {
            // room for a block's usual few bindings at once: growing one by one reallocated
            // both arrays at the first, second and third binding
            names.reserveCapacity(4)
            values.reserveCapacity(4)
        }
        names.append(name)
        values.append(value)
    }

    /// Makes a reused lambda scope hold only its parameters again, bound to the first `count`
    /// of `a1`...`a4` (undefined past them), as a new scope for a call with those arguments would.
    @inline(__always) func rebind(_ params: ContiguousArray<Int32>, _ count: Int, _ a1: Value?, _ a2: Value?, _ a3: Value?, _ a4: Value?) {
        if names.count != params.count {
            // the body bound names of its own last time (bindings append to both arrays alike)
            names = params
            values.removeLast(values.count - params.count)
        }
        values.withUnsafeMutableBufferPointer { slots in
            for index in slots.indices {
                guard index < count else {
                    slots[index] = nil
                    continue
                }
                switch index {
                case 0: slots[index] = a1
                case 1: slots[index] = a2
                case 2: slots[index] = a3
                case 3: slots[index] = a4
                default: slots[index] = nil
                }
            }
        }
    }

    /// Binds by name (interning it).
    func bind(_ name: String, _ value: Value?) { bind(Symbols.id(name), value) }

    @inline(__always) func lookup(_ name: Int32) -> Value? { find(name).value }

    /// Looks up by name (interning it).
    func lookup(_ name: String) -> Value? { find(Symbols.id(name)).value }

    /// Looks `name` up; `found` is false when no scope binds it.
    @inline(__always) func find(_ name: Int32) -> (found: Bool, value: Value?) {
        // Walked without retaining each scope: `self` keeps the whole chain alive (every scope
        // holds its parent), and nothing here can release one.
        var frame = Unmanaged.passUnretained(self)
        while true {
            let (index, parent) = frame._withUnsafeGuaranteedRef { f -> (Int?, Frame?) in
                let n = f.names
                for i in n.indices where n[i] == name { return (i, nil) }
                return (nil, f.parent)
            }
            if let index { return (true, frame._withUnsafeGuaranteedRef { $0.values.withUnsafeBufferPointer { $0[index] } }) }
            guard let parent else { return (false, nil) }
            frame = Unmanaged.passUnretained(parent)
        }
    }
}

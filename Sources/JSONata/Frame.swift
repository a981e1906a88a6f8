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

/// A lexical scope of variable bindings, chained to its enclosing scope.
final class Frame {
    var names: ContiguousArray<String> = []
    var values: ContiguousArray<Value?> = []
    let parent: Frame?

    init(parent: Frame?) { self.parent = parent }

    /// Binds `name`; binding undefined (nil) shadows outer bindings of the same name.
    func bind(_ name: String, _ value: Value?) {
        for i in names.indices where names[i] == name {
            values[i] = value
            return
        }
        names.append(name)
        values.append(value)
    }

    func lookup(_ name: String) -> Value? {
        var frame: Frame? = self
        while let f = frame {
            let n = f.names
            for i in n.indices where n[i] == name { return f.values[i] }
            frame = f.parent
        }
        return nil
    }

    /// Looks `name` up; `found` is false when no scope binds it.
    func find(_ name: String) -> (found: Bool, value: Value?) {
        var frame: Frame? = self
        while let f = frame {
            let n = f.names
            for i in n.indices where n[i] == name { return (true, f.values[i]) }
            frame = f.parent
        }
        return (false, nil)
    }

    /// Whether `name` is bound here or in an enclosing scope.
    func isBound(_ name: String) -> Bool {
        var frame: Frame? = self
        while let f = frame {
            if f.names.contains(name) { return true }
            frame = f.parent
        }
        return false
    }
}

import Synchronization

/// Interned variable names: scopes compare small integers instead of strings.
enum Symbols {
    private static let table = Mutex<[String: Int32]>(["$": 0, "clone": 1])

    static let root: Int32 = 0
    static let clone: Int32 = 1

    /// The id for `name`, assigning a new one the first time a name is seen.
    static func id(_ name: String) -> Int32 {
        table.withLock { t in
            if let v = t[name] { return v }
            let v = Int32(t.count)
            t[name] = v
            return v
        }
    }
}

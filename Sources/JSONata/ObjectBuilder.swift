import OrderedCollections

/// Builds an object constructor's result, keys known in order up front and their values added
/// one by one: plain JSON while every value is JSON (the usual case, and the keys' array is
/// then used as it is), an `ObjectBox` from the first value that is not.
@_eagerMove struct ObjectBuilder {
    private let allKeys: ContiguousArray<String>
    /// The keys kept so far, made only once a value is undefined (its key is left out).
    private var keptKeys: ContiguousArray<String>?
    private var values = ContiguousArray<JSONValue>()
    private var mixed: OrderedDictionary<String, Value>?
    /// Whether `mixed` is in use (asked on every value: comparing the optional with nil copied it).
    private var isMixed = false
    private var next = 0

    init(keys: ContiguousArray<String>) {
        allKeys = keys
        values.reserveCapacity(keys.count)
    }

    /// Adds the value of the next key; an undefined value leaves the key out.
    @inline(__always) mutating func add(_ value: Value?) {
        let index = next
        next &+= 1
        if !isMixed, case .json(let json)? = value {
            if keptKeys != nil { keptKeys!.append(allKeys[index]) }
            values.append(json)
        } else {
            addSlowly(value, index)
        }
    }

    private mutating func addSlowly(_ value: Value?, _ index: Int) {
        guard let value else {
            if keptKeys == nil && !isMixed { keptKeys = ContiguousArray(allKeys[0..<index]) }
            return
        }
        if isMixed {
            mixed![allKeys[index]] = value
        } else if let json = value.toJSONIfPure() {
            keptKeys?.append(allKeys[index])
            values.append(json)
        } else {
            var entries = OrderedDictionary<String, Value>(minimumCapacity: allKeys.count)
            let kept = keptKeys ?? ContiguousArray(allKeys[0..<index])
            for i in kept.indices { entries[kept[i]] = .json(values[i]) }
            entries[allKeys[index]] = value
            mixed = entries
            isMixed = true
        }
    }

    /// The object, once every key has had its value.
    func build() -> Value {
        assert(next == allKeys.count, "every key needs its value")
        if isMixed, let mixed { return .object(ObjectBox(mixed)) }
        return .json(.object(OrderedDictionary(uncheckedUniqueKeys: keptKeys ?? allKeys, values: values)))
    }
}

extension Evaluator {
    func evaluateBinary(_ node: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        let op = node.binOp
        if op == .concat && !node.concatJoins.isEmpty { return try concatenate(node, input, env) }
        let lhs = try eval(node.lhs!, input, env)
        if op == .and {
            if !isTruthy(lhs) { return .false }
            return .bool(isTruthy(try evaluate(node.rhs!, input, env)))
        }
        if op == .or {
            if isTruthy(lhs) { return .true }
            return .bool(isTruthy(try evaluate(node.rhs!, input, env)))
        }
        let rhs = try eval(node.rhs!, input, env)
        // fast paths for the common cases
        switch (op, lhs, rhs) {
        case (.add, .json(.number(let a))?, .json(.number(let b))?) where a.isFinite && b.isFinite: return .number(a + b)
        case (.sub, .json(.number(let a))?, .json(.number(let b))?) where a.isFinite && b.isFinite: return .number(a - b)
        case (.mul, .json(.number(let a))?, .json(.number(let b))?) where a.isFinite && b.isFinite: return .number(a * b)
        case (.div, .json(.number(let a))?, .json(.number(let b))?) where a.isFinite && b.isFinite: return .number(a / b)
        case (.concat, .json(.string(let a))?, .json(.string(let b))?): return .string(a + b)
        case (.eq, .json(.string(let a))?, .json(.string(let b))?): return .bool(sameText(a, b))
        case (.eq, .json(.number(let a))?, .json(.number(let b))?): return .bool(a == b)
        default: break
        }
        do {
            switch op {
            case .add, .sub, .mul, .div, .mod:
                return try numeric(op, lhs, rhs)
            case .eq: return equality(lhs, rhs, negate: false)
            case .ne: return equality(lhs, rhs, negate: true)
            case .lt, .le, .gt, .ge:
                return try comparison(op, lhs, rhs)
            case .concat:
                let l = try lhs.map { try stringify($0) } ?? ""
                let r = try rhs.map { try stringify($0) } ?? ""
                return .string(l + r)
            case .range:
                return try range(lhs, rhs)
            case .member:
                guard let lhs, let rhs else { return .false }
                if case .json(.array(let a)) = rhs, case .json(let scalar) = lhs, isScalar(scalar) {
                    // a scalar in an array of the input: compared in place (no copy of the array)
                    return .bool(a.withUnsafeBufferPointer { containsScalar($0, scalar) })
                }
                if let items = rhs.arrayElements {
                    for i in items where strictEquals(i, lhs) || sameReference(i, lhs) { return .true }
                    return .false
                }
                return .bool(strictEquals(rhs, lhs) || sameReference(rhs, lhs))
            default:
                throw JSONataError(code: "S0204", position: node.position, token: node.text)
            }
        } catch var e as JSONataError {
            e.position = node.position
            e.token = node.text
            throw e
        }
    }

    @inline(__always) func numeric(_ op: Node.BinOp, _ lhs: Value?, _ rhs: Value?) throws -> Value? {
        var l = 0.0, r = 0.0
        if let lhs {
            guard case .json(.number(let d)) = lhs else { throw JSONataError(code: "T2001", position: -1, value: lhs.toJSON()) }
            if !d.isFinite { throw JSONataError(code: "D1001", position: -1, value: .number(d)) }
            l = d
        }
        if let rhs {
            guard case .json(.number(let d)) = rhs else { throw JSONataError(code: "T2002", position: -1, value: rhs.toJSON()) }
            if !d.isFinite { throw JSONataError(code: "D1001", position: -1, value: .number(d)) }
            r = d
        }
        if lhs == nil || rhs == nil { return nil }
        switch op {
        case .add: return .number(l + r)
        case .sub: return .number(l - r)
        case .mul: return .number(l * r)
        case .div: return .number(l / r)
        default: return .number(l.truncatingRemainder(dividingBy: r))
        }
    }

    func equality(_ lhs: Value?, _ rhs: Value?, negate: Bool) -> Value {
        guard let lhs, let rhs else { return .false }
        let eq = deepEquals(lhs, rhs)
        return .bool(negate ? !eq : eq)
    }

    func comparison(_ op: Node.BinOp, _ lhs: Value?, _ rhs: Value?) throws -> Value? {
        func comparable(_ v: Value?) -> Bool {
            guard let v else { return true }
            return v.numberValue != nil || v.stringValue != nil
        }
        if !comparable(lhs) || !comparable(rhs) {
            let bad = (lhs.map { $0.numberValue != nil || $0.stringValue != nil } ?? false) ? rhs : lhs
            throw JSONataError(code: "T2010", position: -1, value: bad?.toJSON())
        }
        guard let lhs, let rhs else { return nil }
        let c: Int
        if let a = lhs.numberValue, let b = rhs.numberValue {
            c = a < b ? -1 : (a > b ? 1 : 0)
        } else if let a = lhs.stringValue, let b = rhs.stringValue {
            c = compareJSStrings(a, b)
        } else {
            throw JSONataError(code: "T2009", position: -1, value: lhs.toJSON(), value2: rhs.toJSON())
        }
        switch op {
        case .lt: return .bool(c < 0)
        case .le: return .bool(c <= 0)
        case .gt: return .bool(c > 0)
        default: return .bool(c >= 0)
        }
    }

    func range(_ lhs: Value?, _ rhs: Value?) throws -> Value? {
        if let lhs {
            guard let d = lhs.numberValue, d == d.rounded() else { throw JSONataError(code: "T2003", position: -1, value: lhs.toJSON()) }
        }
        if let rhs {
            guard let d = rhs.numberValue, d == d.rounded() else { throw JSONataError(code: "T2004", position: -1, value: rhs.toJSON()) }
        }
        guard let a = lhs?.numberValue, let b = rhs?.numberValue else { return nil }
        if a > b { return nil }
        let size = b - a + 1
        if size > 1e7 { throw JSONataError(code: "D2014", position: -1, value: .number(size)) }
        var items = ContiguousArray<Value>()
        // Counted, not stepped: past 2^53, x + 1 == x and stepping to b would never end.
        let count = Int(size)
        items.reserveCapacity(count)
        for offset in 0..<count {
            items.append(.number(a + Double(offset)))
        }
        return .sequence(items)
    }
}

/// JavaScript truthiness as `$boolean` defines it; undefined is false.
func isTruthy(_ v: Value?) -> Bool {
    guard let v else { return false }
    switch v {
    case .json(let j):
        switch j {
        case .null: return false
        case .bool(let b): return b
        case .number(let d): return d != 0 && !d.isNaN
        case .string(let s): return !s.isEmpty
        case .array(let a):
            if a.count == 1 { return isTruthy(.json(a[0])) }
            return a.contains { isTruthy(.json($0)) }
        case .object(let o): return !o.isEmpty
        }
    case .array(let b):
        if b.items.count == 1 { return isTruthy(b.items[0]) }
        return b.items.contains { isTruthy($0) }
    case .object(let b): return !b.dict.isEmpty
    case .function: return false
    case .tuples(let t): return t.tuples.contains { isTruthy($0.focus) }
    }
}

/// Deep structural equality of JSON-like values.
func deepEquals(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.json(let x), .json(let y)): return jsonEquals(x, y)
    case (.function(let f), .function(let g)): return f === g
    case (.function, _), (_, .function): return false
    default:
        if a.isArray && b.isArray {
            let x = a.arrayElements!, y = b.arrayElements!
            if x.count != y.count { return false }
            for i in x.indices where !deepEquals(x[i], y[i]) { return false }
            return true
        }
        if a.isObject && b.isObject {
            let x = a.objectEntries!, y = b.objectEntries!
            if x.count != y.count { return false }
            var yd: [String: Value] = [:]
            for (k, v) in y { yd[k] = v }
            for (k, v) in x {
                guard let w = yd[k], deepEquals(v, w) else { return false }
            }
            return true
        }
        return false
    }
}

/// JavaScript `===` for the `in` operator: primitives by value, containers never equal.
func strictEquals(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.json(.string(let x)), .json(.string(let y))): return sameText(x, y)
    case (.json(.number(let x)), .json(.number(let y))): return x == y
    case (.json(.bool(let x)), .json(.bool(let y))): return x == y
    case (.json(.null), .json(.null)): return true
    case (.function(let f), .function(let g)): return f === g
    default: return false
    }
}

/// Whether two arrays or objects are one and the same, as JavaScript's `===` sees them: the
/// reference's `in` matches objects by identity, so `$x in [$x]` holds for an object taken from
/// the input while `{"a": 1} in [{"a": 1}]` does not. A value copied from the input shares its
/// storage; one built during evaluation has its own. Empty ones share the empty storage, so
/// they never count as the same (two `[]` literals are two objects there).
func sameReference(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.array(let x), .array(let y)): return x === y
    case (.object(let x), .object(let y)): return x === y
    case (.json(.array(let x)), .json(.array(let y))):
        guard !x.isEmpty, x.count == y.count else { return false }
        return x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in px.baseAddress == py.baseAddress } }
    case (.json(.object(let x)), .json(.object(let y))):
        guard !x.isEmpty, x.count == y.count else { return false }
        let keys = x.keys.elements.withUnsafeBufferPointer { px in
            y.keys.elements.withUnsafeBufferPointer { py in px.baseAddress == py.baseAddress }
        }
        return keys && x.values.elements.withUnsafeBufferPointer { px in
            y.values.elements.withUnsafeBufferPointer { py in px.baseAddress == py.baseAddress }
        }
    default: return false
    }
}

/// JSON equality ignoring object key order.
func jsonEquals(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.string(let x), .string(let y)): return sameText(x, y)
    case (.array(let x), .array(let y)):
        if x.count != y.count { return false }
        for i in x.indices where !jsonEquals(x[i], y[i]) { return false }
        return true
    case (.object(let x), .object(let y)):
        if x.count != y.count { return false }
        for (k, v) in x {
            // a key `==` finds must also be the same text
            guard let i = y.index(forKey: k), sameText(y.keys[i], k), jsonEquals(v, y.values[i]) else { return false }
        }
        return true
    default: return false
    }
}

extension Evaluator {
    /// `a & b & c ...` as one string: the same evaluations, conversions and errors in the same
    /// order as the chain of binary `&` it stands for, without an intermediate string per `&`.
    func concatenate(_ node: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        let joins = node.concatJoins
        // Each operand's text is kept on the stack, then all are copied once into a string of
        // the exact size: appending one by one grew (reallocated and copied) the string as it went.
        return try withUnsafeTemporaryAllocation(of: String.self, capacity: joins.count + 1) { parts in
            let base = parts.baseAddress!
            var filled = 0
            var length = 0
            // moved out one by one: `deinitialize(count:)` goes through the generic array destroyer
            defer { for index in 0..<filled { _ = (base + index).move() } }
            func add(_ value: Value?) throws {
                guard let value else { return }
                let text: String
                if case .json(.string(let s)) = value { text = s } else { text = try stringify(value) }
                length &+= text.utf8.count
                (base + filled).initialize(to: text)
                filled &+= 1
            }
            let first = try eval(joins[0].lhs!, input, env)
            for k in 0...joins.count {
                let join = k < joins.count ? joins[k] : node
                let operand = try eval(join.rhs!, input, env)
                do {
                    if k == 0 { try add(first) }
                    try add(operand)
                } catch var e as JSONataError {
                    e.position = join.position
                    e.token = join.text
                    throw e
                }
            }
            return .string(joined(UnsafeBufferPointer(start: base, count: filled), length: length))
        }
    }
}

/// The texts one after another, copied once into a string of the exact size.
func joined(_ parts: UnsafeBufferPointer<String>, length: Int) -> String {
    if parts.count == 1 { return parts[0] }
    return stringOfValidUTF8(capacity: length) { out in
        var offset = 0
        for index in parts.indices { offset &+= writeUTF8(parts[index], to: out + offset) }
        return offset
    }
}

/// `joined` with `separator` between each two texts (`length` counts the separators too).
func joined(_ parts: UnsafeBufferPointer<String>, separator: String, length: Int) -> String {
    if separator.isEmpty { return joined(parts, length: length) }
    if parts.isEmpty { return "" }
    if parts.count == 1 { return parts[0] }
    return stringOfValidUTF8(capacity: length) { out in
        var offset = writeUTF8(parts[0], to: out)
        for index in 1..<parts.count {
            offset &+= writeUTF8(separator, to: out + offset)
            offset &+= writeUTF8(parts[index], to: out + offset)
        }
        return offset
    }
}

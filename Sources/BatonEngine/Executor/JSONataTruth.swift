import JSONata

/// JSONata's truthiness, for `if:`: false, 0, "", null, undefined, empty arrays and empty
/// objects are false (arrays are false when all their members are).
enum JSONataTruth {
    static func isTruthy(_ value: JSONValue?) -> Bool {
        guard let value else { return false }
        switch value {
        case .null: return false
        case .bool(let bool): return bool
        case .number(let number): return number != 0 && !number.isNaN
        case .string(let string): return !string.isEmpty
        case .array(let items): return items.contains { isTruthy($0) }
        case .object(let object): return !object.isEmpty
        }
    }
}

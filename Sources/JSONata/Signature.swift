/// A signature parse error before its position is made absolute.
struct SignatureError: Error {
    let code: String
    let offset: Int
    let token: String?
}

/// A function signature such as `<s-n?:s>`: parameter types checked against arguments
/// the way the reference does, with `-` meaning "use the context when missing".
@_eagerMove final class Signature: @unchecked Sendable {
    /// A set of type symbols ('a'...'z') as a bitmask.
    struct SymbolSet {
        var bits: UInt32 = 0
        init(_ symbols: Set<UInt8>) { for s in symbols { insert(s) } }
        init<S: Sequence>(_ symbols: S) where S.Element == UInt8 { for s in symbols { insert(s) } }
        @inline(__always) func contains(_ s: UInt8) -> Bool { bits & (1 << UInt32(s &- 97)) != 0 }
        @inline(__always) mutating func insert(_ s: UInt8) { bits |= 1 << UInt32(s &- 97) }
    }

    struct Param {
        var allowed: SymbolSet
        var type: UInt8
        var optional = false
        var oneOrMore = false
        var context = false
        var contextAllowed = SymbolSet([UInt8]())
        /// The one type symbol every item of an array parameter must have (`a<n>`), or 0.
        var itemType: UInt8 = 0
        /// Whether the parameter has a subtype (`a<n>`, `f<n:n>`) at all.
        var hasSubtype = false
    }

    /// Parameters, plain data so that checking one copies no reference.
    let params: [Param]
    /// Each parameter's subtype text (`n` of `a<n>`), or nil: kept apart from `params` for the same reason.
    let subtypes: [String?]
    let text: String

    init(_ signature: String) throws {
        text = signature
        let chars = Array(signature.utf8)
        var params: [Param] = []
        var subtypes: [String?] = []
        var position = 1
        func classOf(_ s: String) -> SymbolSet { SymbolSet(Array(s.utf8)) }
        while position < chars.count {
            let symbol = chars[position]
            if symbol == UInt8(ascii: ":") { break }
            switch symbol {
            case UInt8(ascii: "s"), UInt8(ascii: "n"), UInt8(ascii: "b"), UInt8(ascii: "l"), UInt8(ascii: "o"):
                params.append(Param(allowed: SymbolSet([symbol, UInt8(ascii: "m")]), type: symbol))
            case UInt8(ascii: "a"):
                params.append(Param(allowed: classOf("asnblfom"), type: symbol))
            case UInt8(ascii: "f"):
                params.append(Param(allowed: SymbolSet([symbol]), type: symbol))
            case UInt8(ascii: "j"):
                params.append(Param(allowed: classOf("asnblom"), type: symbol))
            case UInt8(ascii: "x"):
                params.append(Param(allowed: classOf("asnblfom"), type: symbol))
            case UInt8(ascii: "-"):
                if !params.isEmpty {
                    params[params.count - 1].context = true
                    params[params.count - 1].contextAllowed = params[params.count - 1].allowed
                    params[params.count - 1].optional = true
                }
            case UInt8(ascii: "?"):
                if !params.isEmpty { params[params.count - 1].optional = true }
            case UInt8(ascii: "+"):
                if !params.isEmpty { params[params.count - 1].oneOrMore = true }
            case UInt8(ascii: "("):
                guard let end = Signature.closing(chars, position, UInt8(ascii: "("), UInt8(ascii: ")")) else {
                    throw SignatureError(code: "S0401", offset: position, token: nil)
                }
                let choice = String(decoding: chars[(position + 1)..<end], as: UTF8.self)
                if choice.contains("<") {
                    throw SignatureError(code: "S0402", offset: position, token: choice)
                }
                var allowed = classOf(choice)
                allowed.insert(UInt8(ascii: "m"))
                params.append(Param(allowed: allowed, type: UInt8(ascii: "(")))
                position = end
            case UInt8(ascii: "<"):
                guard let last = params.last, last.type == UInt8(ascii: "a") || last.type == UInt8(ascii: "f") else {
                    throw SignatureError(code: "S0401", offset: position, token: params.last.map { String(UnicodeScalar($0.type)) })
                }
                guard let end = Signature.closing(chars, position, UInt8(ascii: "<"), UInt8(ascii: ">")) else {
                    throw SignatureError(code: "S0401", offset: position, token: nil)
                }
                let subtype = String(decoding: chars[(position + 1)..<end], as: UTF8.self)
                while subtypes.count < params.count { subtypes.append(nil) }
                subtypes[params.count - 1] = subtype
                params[params.count - 1].hasSubtype = true
                if subtype.utf8.count == 1 { params[params.count - 1].itemType = subtype.utf8.first! }
                position = end
            default:
                break
            }
            position += 1
        }
        while subtypes.count < params.count { subtypes.append(nil) }
        self.params = params
        self.subtypes = subtypes
        simple = params.allSatisfy { !$0.oneOrMore }
        var tail = params.count
        while tail > 0, params[tail - 1].optional, !params[tail - 1].context { tail -= 1 }
        optionalTail = tail
    }

    /// No repeated or array parameters: arguments can be checked one by one.
    let simple: Bool
    /// From this index on every parameter is optional (`?`) and never filled from the context,
    /// so fewer arguments than parameters, when each matches its own, leave just those missing.
    let optionalTail: Int

    static func closing(_ chars: [UInt8], _ start: Int, _ open: UInt8, _ close: UInt8) -> Int? {
        var depth = 1
        var p = start
        while p < chars.count - 1 {
            p += 1
            if chars[p] == open { depth += 1 } else if chars[p] == close {
                depth -= 1
                if depth == 0 { return p }
            }
        }
        return nil
    }

    static func symbol(_ v: Value?) -> UInt8 {
        guard let v else { return UInt8(ascii: "m") }
        switch v {
        case .function: return UInt8(ascii: "f")
        case .json(let j):
            switch j {
            case .string: return UInt8(ascii: "s")
            case .number: return UInt8(ascii: "n")
            case .bool: return UInt8(ascii: "b")
            case .null: return UInt8(ascii: "l")
            case .array: return UInt8(ascii: "a")
            case .object: return UInt8(ascii: "o")
            }
        case .array, .tuples: return UInt8(ascii: "a")
        case .object: return UInt8(ascii: "o")
        }
    }

    /// Whether `value` is an array whose items all have the type symbol `want`, checked without copying it.
    static func items(of value: Value?, allAre want: UInt8) -> Bool {
        switch value {
        case .json(.array(let items))?: return items.allSatisfy { symbol(.json($0)) == want }
        case .array(let box)?: return box.items.allSatisfy { symbol($0) == want }
        default: return false
        }
    }

    /// Matches argument symbols against params; returns the count consumed by each param.
    func match(_ symbols: [UInt8], limit: Int? = nil) -> [Int]? {
        let n = limit ?? params.count
        var counts = [Int](repeating: 0, count: n)
        func go(_ i: Int, _ pos: Int) -> Bool {
            if i == n { return limit != nil || pos == symbols.count }
            let p = params[i]
            var maxCount = 0
            while pos + maxCount < symbols.count && p.allowed.contains(symbols[pos + maxCount]) {
                maxCount += 1
                if !p.oneOrMore { break }
            }
            let minCount = p.optional ? 0 : 1
            if maxCount < minCount { return false }
            var c = maxCount
            while c >= minCount {
                counts[i] = c
                if go(i + 1, pos + c) { return true }
                c -= 1
            }
            return false
        }
        return go(0, 0) ? counts : nil
    }

    /// Checks and adapts `args` (wrapping singletons for array params, inserting the context).
    func validate(_ args: [Value?], context: Value?) throws -> [Value?] {
        try args.withUnsafeBufferPointer { try validate($0, context: context) } ?? args
    }

    /// Checks `args`; returns nil when they fit as they are, else the adapted arguments (with
    /// singletons wrapped for array parameters and the context inserted). Missing optional
    /// arguments are not appended: a built-in reads past the end as undefined.
    func validate(_ args: Arguments, context: Value?) throws -> [Value?]? {
        if simple && args.count <= params.count && args.count >= optionalTail {
            // Matching arguments one by one is what the reference's greedy pattern does when each
            // one fits its own parameter and the parameters left over are plain optional ones.
            var ok = true
            params.withUnsafeBufferPointer { params in
                for i in 0..<args.count {
                    let sym = Signature.symbol(args[i])
                    let p = params[i]
                    if !p.allowed.contains(sym) { ok = false; break }
                    if p.type == UInt8(ascii: "a") && sym != UInt8(ascii: "m") {
                        // An array passes as it is when its items fit the subtype (`a<n>`); anything
                        // else is wrapped or refused by the general path.
                        guard sym == UInt8(ascii: "a") else { ok = false; break }
                        if p.hasSubtype {
                            guard p.itemType != 0, Signature.items(of: args[i], allAre: p.itemType) else { ok = false; break }
                        }
                    }
                }
            }
            if ok { return nil }
        }
        let symbols = args.map(Signature.symbol)
        guard let counts = match(symbols) else {
            // find how far the arguments match
            var goodTo = 0
            for k in 1...max(params.count, 1) where k <= params.count {
                guard let partial = matchPrefix(symbols, upTo: k) else {
                    throw JSONataError(code: "T0410", position: -1, value: goodTo < args.count ? args[goodTo]?.toJSON() : nil, index: goodTo + 1)
                }
                goodTo = partial
            }
            throw JSONataError(code: "T0410", position: -1, value: goodTo < args.count ? args[goodTo]?.toJSON() : nil, index: goodTo + 1)
        }
        var validated: [Value?] = []
        validated.reserveCapacity(params.count)
        var argIndex = 0
        for (i, param) in params.enumerated() {
            let count = counts[i]
            let subtype = subtypes[i]
            if count == 0 {
                if param.context {
                    var context = context
                    if case .array(let b)? = context, b.outerWrapper, b.items.count == 1 { context = b.items[0] }
                    let ctxSymbol = Signature.symbol(context)
                    if param.contextAllowed.contains(ctxSymbol) {
                        validated.append(context)
                    } else {
                        throw JSONataError(code: "T0411", position: -1, value: context?.toJSON(), index: argIndex + 1)
                    }
                } else {
                    validated.append(argIndex < args.count ? args[argIndex] : nil)
                    argIndex += 1
                }
                continue
            }
            for _ in 0..<count {
                var arg = argIndex < args.count ? args[argIndex] : nil
                let single = argIndex < symbols.count ? symbols[argIndex] : UInt8(ascii: "m")
                if param.type == UInt8(ascii: "a") {
                    if single == UInt8(ascii: "m") {
                        arg = nil
                    } else {
                        var ok = true
                        if let subtype, let want = subtype.utf8.first {
                            if single != UInt8(ascii: "a") {
                                if count != 1 || single != want || subtype.utf8.count != 1 { ok = false }
                            } else if let items = arg?.arrayElements, let first = items.first {
                                let itemType = Signature.symbol(first)
                                if itemType != want {
                                    ok = false
                                } else {
                                    ok = items.allSatisfy { Signature.symbol($0) == itemType }
                                }
                            }
                        }
                        if !ok {
                            throw JSONataError(code: "T0412", position: -1, value: arg?.toJSON(), index: argIndex + 1,
                                               type: Signature.arrayTypeName(subtype ?? ""))
                        }
                        if single != UInt8(ascii: "a"), let a = arg {
                            arg = .array(ArrayBox([a], sequence: false))
                        }
                    }
                }
                validated.append(arg)
                argIndex += 1
            }
        }
        return validated
    }

    func matchPrefix(_ symbols: [UInt8], upTo k: Int) -> Int? {
        // longest prefix of symbols matched by the first k params (anchored at start only)
        var best: Int?
        func go(_ i: Int, _ pos: Int) {
            if i == k {
                best = max(best ?? 0, pos)
                return
            }
            let p = params[i]
            var maxCount = 0
            while pos + maxCount < symbols.count && p.allowed.contains(symbols[pos + maxCount]) {
                maxCount += 1
                if !p.oneOrMore { break }
            }
            let minCount = p.optional ? 0 : 1
            if maxCount < minCount { return }
            var c = maxCount
            while c >= minCount {
                go(i + 1, pos + c)
                if best != nil { return }
                c -= 1
            }
        }
        go(0, 0)
        return best
    }

    static func arrayTypeName(_ subtype: String) -> String {
        switch subtype {
        case "s": return "strings"
        case "n": return "numbers"
        case "b": return "booleans"
        case "o": return "objects"
        case "f": return "functions"
        case "a": return "arrays"
        default: return "values"
        }
    }
}

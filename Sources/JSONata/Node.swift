import Foundation

/// A parent-operator slot: which ancestor (`%`) a step must bind, resolved after parsing.
final class AncestorSlot: @unchecked Sendable {
    var label: String
    var level: Int
    var index: Int
    init(label: String, level: Int, index: Int) {
        self.label = label
        self.level = level
        self.index = index
    }
}

/// A filter or index-binding stage applied to the results of a step.
enum Stage {
    case filter(Node, position: Int)
    case index(String)
}

/// A node of the expression tree. Built by the parser, rewritten once by the post-processor,
/// then only read during evaluation (which is why sharing it across threads is safe).
final class Node: @unchecked Sendable {
    enum Kind {
        // parse-time shapes
        case binary, unary, error, op
        // evaluable shapes
        case path, name, string, number, value, wildcard, descendant, parent, condition, block, bind
        case regex, function, partial, lambda, variable, apply, sort, transform, placeholder
        case arrayConstructor, objectConstructor, negate, coalesce
    }

    var kind: Kind
    var position: Int
    /// Where the token starts (UTF-16 offset); used to report root references.
    var start = 0
    /// Operator text for binary/unary nodes; name/variable text; string literal.
    var text: String = ""
    var literal: JSONValue = .null
    var lhs: Node?
    var rhs: Node?
    var third: Node?
    var expressions: [Node] = []
    var pairs: [(Node, Node)] = []
    var steps: [Node] = []
    var sortTerms: [(expr: Node, descending: Bool)] = []

    // step annotations
    var predicate: [Stage]?
    var stages: [Stage]?
    var group: (pairs: [(Node, Node)], position: Int)?
    var focus: String?
    var indexVar: String?
    var tuple = false
    var ancestor: AncestorSlot?
    var slot: AncestorSlot?
    var seekingParent: [AncestorSlot]?
    var keepArray = false
    var keepSingletonArray = false
    var consArray = false

    // functions and lambdas
    var procedure: Node?
    var arguments: [Node] = []
    var params = ContiguousArray<String>()
    var signature: Signature?
    var body: Node?
    var thunk = false

    /// Binary operators, decoded once.
    enum BinOp: UInt8 { case add, sub, mul, div, mod, eq, ne, lt, le, gt, ge, concat, and, or, range, member, unknown }

    // precomputed by `Finalizer`
    var binOp: BinOp = .unknown
    /// Keys of an object constructor (or of this step's grouping) when all are distinct string literals.
    var literalKeys: ContiguousArray<String>?
    var groupLiteralKeys: ContiguousArray<String>?
    /// Interned name of a variable (or of the variable a `:=` binds).
    var symbol: Int32 = -1
    var focusSym: Int32 = -1
    var indexSym: Int32 = -1
    var ancestorSym: Int32 = -1
    var paramSyms = ContiguousArray<Int32>()
    /// Path made only of plain name steps (optionally after a leading variable): fast navigation.
    var simplePath = false
    /// No predicates, stages, grouping, bindings or keep-array flag on this step.
    var plain = false
    /// The built-in a variable names, when it names one (looked up after local bindings).
    var builtin: FunctionBox?

    // transforms and regexes
    var regex: RegexBox?

    init(_ kind: Kind, position: Int) {
        self.kind = kind
        self.position = position
    }

    var hasAnnotations: Bool { predicate != nil || group != nil || keepArray }
    /// `hasAnnotations`, stored once the tree is final.
    var annotated = true
}

/// A compiled regular expression together with its JSONata source text.
final class RegexBox: @unchecked Sendable {
    let regex: NSRegularExpression
    let pattern: String
    /// For patterns that are plain text (optionally anchored with ^ / $) and case-sensitive:
    /// the text, matched without the regex engine.
    let literal: String?
    let anchoredStart: Bool
    let anchoredEnd: Bool

    init(regex: NSRegularExpression, pattern: String, caseSensitive: Bool = true) {
        self.regex = regex
        self.pattern = pattern
        var body = Substring(pattern)
        let start = body.hasPrefix("^")
        if start { body = body.dropFirst() }
        let end = body.hasSuffix("$") && !body.hasSuffix("\\$")
        if end { body = body.dropLast() }
        let meta = Set("\\^$.|?*+()[]{}/")
        if caseSensitive && !body.isEmpty && !body.contains(where: { meta.contains($0) }) && !(end && body.last == "\\") {
            literal = String(body)
        } else {
            literal = nil
        }
        anchoredStart = start
        anchoredEnd = end
    }

    /// Literal matching from UTF-16 offset `from`: (start, end) in UTF-16 units, or nil.
    func literalMatch(_ s: String, from: Int) -> (Int, Int)? {
        guard let lit = literal else { return nil }
        if anchoredStart {
            if from > 0 || !s.utf8.starts(with: lit.utf8) { return nil }
            if anchoredEnd && s.utf8.count != lit.utf8.count { return nil }
            let n = lit.utf16.count
            return (0, n)
        }
        if from == 0 && !anchoredEnd {
            guard let r = findSubstring(s, lit) else { return nil }
            let a = s.utf16.distance(from: s.startIndex, to: r.lowerBound)
            return (a, a + lit.utf16.count)
        }
        let u = Array(s.utf16)
        let l = Array(lit.utf16)
        if anchoredStart && from > 0 { return nil }
        var i = from
        while i + l.count <= u.count {
            if anchoredEnd && i + l.count != u.count {
                if anchoredStart { return nil }
                i = u.count - l.count
                continue
            }
            if u[i..<(i + l.count)].elementsEqual(l) { return (i, i + l.count) }
            if anchoredStart { return nil }
            i += 1
        }
        return nil
    }
}

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
/// then only read during evaluation (which is why sharing it across threads is safe, and why
/// its fields skip dynamic exclusivity checks, which were pure overhead in the hot paths).
final class Node: @unchecked Sendable {
    enum Kind {
        // parse-time shapes
        case binary, unary, error, op
        // evaluable shapes
        case path, name, string, number, value, wildcard, descendant, parent, condition, block, bind
        case regex, function, partial, lambda, variable, apply, sort, transform, placeholder
        case arrayConstructor, objectConstructor, negate, coalesce
    }

    @exclusivity(unchecked) var kind: Kind
    @exclusivity(unchecked) var position: Int
    /// Where the token starts (UTF-16 offset); used to report root references.
    @exclusivity(unchecked) var start = 0
    /// Operator text for binary/unary nodes; name/variable text; string literal.
    @exclusivity(unchecked) var text: String = ""
    @exclusivity(unchecked) var literal: JSONValue = .null
    @exclusivity(unchecked) var lhs: Node?
    @exclusivity(unchecked) var rhs: Node?
    @exclusivity(unchecked) var third: Node?
    @exclusivity(unchecked) var expressions: [Node] = []
    @exclusivity(unchecked) var pairs: [(Node, Node)] = []
    @exclusivity(unchecked) var steps: [Node] = []
    @exclusivity(unchecked) var sortTerms: [(expr: Node, descending: Bool)] = []

    // step annotations
    @exclusivity(unchecked) var predicate: [Stage]?
    @exclusivity(unchecked) var stages: [Stage]?
    @exclusivity(unchecked) var group: (pairs: [(Node, Node)], position: Int)?
    @exclusivity(unchecked) var focus: String?
    @exclusivity(unchecked) var indexVar: String?
    @exclusivity(unchecked) var tuple = false
    @exclusivity(unchecked) var ancestor: AncestorSlot?
    @exclusivity(unchecked) var slot: AncestorSlot?
    @exclusivity(unchecked) var seekingParent: [AncestorSlot]?
    @exclusivity(unchecked) var keepArray = false
    @exclusivity(unchecked) var keepSingletonArray = false
    @exclusivity(unchecked) var consArray = false

    // functions and lambdas
    @exclusivity(unchecked) var procedure: Node?
    @exclusivity(unchecked) var arguments: [Node] = []
    @exclusivity(unchecked) var params = ContiguousArray<String>()
    @exclusivity(unchecked) var signature: Signature?
    @exclusivity(unchecked) var body: Node?
    @exclusivity(unchecked) var thunk = false

    /// Binary operators, decoded once.
    enum BinOp: UInt8 { case add, sub, mul, div, mod, eq, ne, lt, le, gt, ge, concat, and, or, range, member, unknown }

    // precomputed by `Finalizer`
    @exclusivity(unchecked) var binOp: BinOp = .unknown
    /// Keys of an object constructor (or of this step's grouping) when all are distinct string literals.
    @exclusivity(unchecked) var literalKeys: ContiguousArray<String>?
    @exclusivity(unchecked) var groupLiteralKeys: ContiguousArray<String>?
    /// Interned name of a variable (or of the variable a `:=` binds).
    @exclusivity(unchecked) var symbol: Int32 = -1
    @exclusivity(unchecked) var focusSym: Int32 = -1
    @exclusivity(unchecked) var indexSym: Int32 = -1
    @exclusivity(unchecked) var ancestorSym: Int32 = -1
    @exclusivity(unchecked) var paramSyms = ContiguousArray<Int32>()
    /// Path made only of plain name steps (optionally after a leading variable): fast navigation.
    @exclusivity(unchecked) var simplePath = false
    /// For a path: the first step from which every step is a plain name (`Int.max` when the
    /// path's own flags rule out walking them directly).
    @exclusivity(unchecked) var simpleTail = Int.max
    /// No predicates, stages, grouping, bindings or keep-array flag on this step.
    @exclusivity(unchecked) var plain = false
    /// The built-in a variable names, when it names one (looked up after local bindings).
    @exclusivity(unchecked) var builtin: FunctionBox?
    /// An array constructor of number literals and literal ranges (`[0..2]`): the same value for
    /// every context item, so a predicate of this shape is evaluated once per filtered sequence.
    @exclusivity(unchecked) var constantIndexes = false
    /// `builtin` can be returned without a scope search (see `Finalizer.markDirectBuiltins`).
    @exclusivity(unchecked) var directBuiltin = false
    /// For a block: whether it needs a scope of its own (see `Finalizer.markScopelessBlocks`).
    @exclusivity(unchecked) var needsScope = true

    // transforms and regexes
    @exclusivity(unchecked) var regex: RegexBox?

    init(_ kind: Kind, position: Int) {
        self.kind = kind
        self.position = position
    }

    var hasAnnotations: Bool { predicate != nil || group != nil || keepArray }
    /// `hasAnnotations`, stored once the tree is final.
    @exclusivity(unchecked) var annotated = true
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

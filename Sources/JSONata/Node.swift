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
}

/// A compiled regular expression together with its JSONata source text.
final class RegexBox: @unchecked Sendable {
    let regex: NSRegularExpression
    let pattern: String
    init(regex: NSRegularExpression, pattern: String) {
        self.regex = regex
        self.pattern = pattern
    }
}

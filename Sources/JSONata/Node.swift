/// A filter or index-binding stage applied to the results of a step.
enum Stage {
    case filter(Node, position: Int)
    case index(String)
}

/// A node of the expression tree as the evaluator reads it. Every field is a `let`: the tree
/// never changes once compiled, which makes it safe to share across threads and lets the
/// compiler read a child without retaining it (a `var` child is retained around every call
/// made while it is in use, in case the call replaced it).
@_eagerMove final class Node: @unchecked Sendable {
    enum Kind {
        // parse-time shapes
        case binary, unary, error, op
        // evaluable shapes
        case path, name, string, number, value, wildcard, descendant, parent, condition, block, bind
        case regex, function, partial, lambda, variable, apply, sort, transform, placeholder
        case arrayConstructor, objectConstructor, negate, coalesce
    }

    /// Binary operators, decoded once.
    enum BinOp: UInt8 { case add, sub, mul, div, mod, eq, ne, lt, le, gt, ge, concat, and, or, range, member, unknown }

    let kind: Kind
    let position: Int
    /// Where the token starts (UTF-16 offset); used to report root references.
    let start: Int
    /// Operator text for binary/unary nodes; name/variable text; string literal.
    let text: String
    let literal: JSONValue
    let lhs: Node?
    let rhs: Node?
    let third: Node?
    let expressions: [Node]
    let pairs: [(Node, Node)]
    let steps: [Node]
    let sortTerms: [(expr: Node, descending: Bool)]
    let predicate: [Stage]?
    let stages: [Stage]?
    let group: (pairs: [(Node, Node)], position: Int)?
    let focus: String?
    let indexVar: String?
    let tuple: Bool
    let ancestor: AncestorSlot?
    let slot: AncestorSlot?
    let seekingParent: [AncestorSlot]?
    let keepArray: Bool
    let keepSingletonArray: Bool
    let consArray: Bool
    let procedure: Node?
    /// For a call whose procedure is a built-in named directly (`$substring(...)`): that built-in,
    /// read straight from the call (see `Evaluator.evaluateFunction`).
    let directCall: Builtin?
    let arguments: [Node]
    let params: ContiguousArray<String>
    let signature: Signature?
    let body: Node?
    let thunk: Bool
    /// Binary operator, decoded once.
    let binOp: BinOp
    /// Keys of an object constructor when all are distinct string literals.
    let literalKeys: ContiguousArray<String>?
    /// Keys of this step's grouping when all are distinct string literals.
    let groupLiteralKeys: ContiguousArray<String>?
    /// Interned name of a variable (or of the variable a `:=` binds).
    let symbol: Int32
    let focusSym: Int32
    let indexSym: Int32
    let ancestorSym: Int32
    let paramSyms: ContiguousArray<Int32>
    /// Path made only of plain name steps (optionally after a leading variable): fast navigation.
    let simplePath: Bool
    /// For a path: the first step from which every step is a plain name (`Int.max` when the path's own flags rule out walking them directly).
    let simpleTail: Int
    /// No predicates, stages, grouping, bindings or keep-array flag on this step.
    let plain: Bool
    /// The built-in a variable names, when it names one (looked up after local bindings).
    let builtin: FunctionBox?
    /// An array constructor of number literals and literal ranges (`[0..2]`), the same for every context item.
    let constantIndexes: Bool
    /// The numbers of such a constructor when known at compile time (at most 1,000).
    let constantNumbers: [Double]?
    /// For a name step whose one stage is a literal index and that has nothing else on it (`commits[0]`): the index.
    let literalIndex: Double?
    /// For a name step whose one stage is an index list known when compiling (`topics[[0..2]]`), with nothing else on it: the indexes.
    let literalIndexes: [Double]?
    /// A name step whose stages are all predicates and that has nothing else on it (`contacts[type = "x"]`).
    let filteredName: Bool
    /// For a condition: its then-branch is its test again (see `Finalizer.markRepeatedTests`).
    let thenRepeatsTest: Bool
    /// `builtin` can be returned without a scope search (see `Finalizer.markDirectBuiltins`).
    let directBuiltin: Bool
    /// For a block: whether it needs a scope of its own (see `Finalizer.markScopelessBlocks`).
    let needsScope: Bool
    let regex: RegexBox?
    /// For a regex literal that only a string built-in sees: its function value, made once.
    let regexValue: Value?
    /// Whether the node has a predicate, a grouping or the keep-array flag.
    let annotated: Bool
    /// For the last `&` of a chain `a & b & c ...`: the chain's other `&` nodes, innermost first,
    /// so that the chain builds one string instead of one per operator (empty otherwise).
    let concatJoins: [Node]

    var hasAnnotations: Bool { predicate != nil || group != nil || keepArray }

    /// The immutable copy of a final syntax tree (a subtree reached twice is copied once).
    static func freeze(_ root: SyntaxNode) -> Node {
        var memo: [ObjectIdentifier: Node] = [:]
        return freeze(root, &memo)
    }

    private static func freeze(_ s: SyntaxNode, _ memo: inout [ObjectIdentifier: Node], keepBlock: Bool = false) -> Node {
        if let done = memo[ObjectIdentifier(s)] { return done }
        if !keepBlock, let inner = standIn(for: s) {
            // `(expr)` evaluates as `expr` does (`commits.("• " & message)`): it stands for it,
            // one dispatch fewer an item.
            let node = freeze(inner, &memo)
            memo[ObjectIdentifier(s)] = node
            return node
        }
        let node = Node(s, &memo)
        memo[ObjectIdentifier(s)] = node
        return node
    }

    /// The expression a block can be replaced by: its only one, when the block needs no scope,
    /// carries no annotations and has nothing to resolve `%` through, and that expression is of
    /// a kind whose place in the tree changes nothing. Kinds read by their parent stay wrapped:
    /// a path (a block's step is not a path's), a variable (a path's first step), an array
    /// constructor (an array item that is one is not flattened), a placeholder, and the rest.
    /// The caller keeps the block where the parent reads the block's own kind (the right side
    /// of `~>`, a called procedure).
    private static func standIn(for s: SyntaxNode) -> SyntaxNode? {
        guard s.kind == .block, s.expressions.count == 1, !s.needsScope, Finalizer.isPlain(s), !s.hasAnnotations else { return nil }
        let inner = s.expressions[0]
        switch inner.kind {
        case .binary, .function, .condition, .string, .number, .value, .objectConstructor, .negate: return inner
        default: return nil
        }
    }

    private static func freeze(_ stage: SyntaxStage, _ memo: inout [ObjectIdentifier: Node]) -> Stage {
        switch stage {
        case .filter(let e, let position): return .filter(freeze(e, &memo), position: position)
        case .index(let name): return .index(name)
        }
    }

    private init(_ s: SyntaxNode, _ memo: inout [ObjectIdentifier: Node]) {
        kind = s.kind
        position = s.position
        start = s.start
        text = s.text
        literal = s.literal
        lhs = s.lhs.map { Node.freeze($0, &memo) }
        rhs = s.rhs.map { Node.freeze($0, &memo, keepBlock: s.kind == .apply) }
        third = s.third.map { Node.freeze($0, &memo) }
        expressions = s.expressions.map { Node.freeze($0, &memo) }
        pairs = s.pairs.map { (Node.freeze($0.0, &memo), Node.freeze($0.1, &memo)) }
        steps = s.steps.map { Node.freeze($0, &memo) }
        sortTerms = s.sortTerms.map { (expr: Node.freeze($0.expr, &memo), descending: $0.descending) }
        predicate = s.predicate.map { $0.map { Node.freeze($0, &memo) } }
        stages = s.stages.map { $0.map { Node.freeze($0, &memo) } }
        group = s.group.map { g in (pairs: g.pairs.map { (Node.freeze($0.0, &memo), Node.freeze($0.1, &memo)) }, position: g.position) }
        focus = s.focus
        indexVar = s.indexVar
        tuple = s.tuple
        ancestor = s.ancestor
        slot = s.slot
        seekingParent = s.seekingParent
        keepArray = s.keepArray
        keepSingletonArray = s.keepSingletonArray
        consArray = s.consArray
        procedure = s.procedure.map { Node.freeze($0, &memo, keepBlock: true) }
        directCall = s.kind == .function && s.procedure?.directBuiltin == true ? s.procedure?.builtin?.builtin : nil
        arguments = s.arguments.map { Node.freeze($0, &memo) }
        params = s.params
        signature = s.signature
        body = s.body.map { Node.freeze($0, &memo) }
        thunk = s.thunk
        binOp = s.binOp
        literalKeys = s.literalKeys
        groupLiteralKeys = s.groupLiteralKeys
        symbol = s.symbol
        focusSym = s.focusSym
        indexSym = s.indexSym
        ancestorSym = s.ancestorSym
        paramSyms = s.paramSyms
        simplePath = s.simplePath
        simpleTail = s.simpleTail
        plain = s.plain
        builtin = s.builtin
        constantIndexes = s.constantIndexes
        constantNumbers = s.constantNumbers
        literalIndex = s.literalIndex
        literalIndexes = s.literalIndexes
        filteredName = s.filteredName
        thenRepeatsTest = s.thenRepeatsTest
        directBuiltin = s.directBuiltin
        needsScope = s.needsScope
        regex = s.regex
        regexValue = s.sharedRegex ? s.regex.map { .function(FunctionBox(.regex($0))) } : nil
        annotated = s.annotated
        var joins: [Node] = []
        if s.kind == .binary && s.binOp == .concat, let inner = s.lhs, Node.isPlainConcat(inner) {
            var spine: [SyntaxNode] = []
            var cursor = inner
            while Node.isPlainConcat(cursor) {
                spine.append(cursor)
                cursor = cursor.lhs!
            }
            joins = spine.reversed().map { Node.freeze($0, &memo) }
        }
        concatJoins = joins
    }

    private static func isPlainConcat(_ s: SyntaxNode) -> Bool {
        s.kind == .binary && s.binOp == .concat && !s.annotated && s.lhs != nil
    }
}

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

/// A filter or index-binding stage of a syntax node (`Stage` once the tree is final).
enum SyntaxStage {
    case filter(SyntaxNode, position: Int)
    case index(String)
}

/// A node of the tree as the parser builds it and the post-processor rewrites it; once final
/// it is copied into an immutable ``SyntaxNode`` for evaluation.
final class SyntaxNode {
    typealias Kind = Node.Kind
    typealias BinOp = Node.BinOp

    @exclusivity(unchecked) var kind: Kind
    @exclusivity(unchecked) var position: Int
    /// Where the token starts (UTF-16 offset); used to report root references.
    @exclusivity(unchecked) var start = 0
    /// Operator text for binary/unary nodes; name/variable text; string literal.
    @exclusivity(unchecked) var text: String = ""
    @exclusivity(unchecked) var literal: JSONValue = .null
    @exclusivity(unchecked) var lhs: SyntaxNode?
    @exclusivity(unchecked) var rhs: SyntaxNode?
    @exclusivity(unchecked) var third: SyntaxNode?
    @exclusivity(unchecked) var expressions: [SyntaxNode] = []
    @exclusivity(unchecked) var pairs: [(SyntaxNode, SyntaxNode)] = []
    @exclusivity(unchecked) var steps: [SyntaxNode] = []
    @exclusivity(unchecked) var sortTerms: [(expr: SyntaxNode, descending: Bool)] = []

    // step annotations
    @exclusivity(unchecked) var predicate: [SyntaxStage]?
    @exclusivity(unchecked) var stages: [SyntaxStage]?
    @exclusivity(unchecked) var group: (pairs: [(SyntaxNode, SyntaxNode)], position: Int)?
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
    @exclusivity(unchecked) var procedure: SyntaxNode?
    @exclusivity(unchecked) var arguments: [SyntaxNode] = []
    @exclusivity(unchecked) var params = ContiguousArray<String>()
    @exclusivity(unchecked) var signature: Signature?
    @exclusivity(unchecked) var body: SyntaxNode?
    @exclusivity(unchecked) var thunk = false

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
    /// For a name step whose one stage is a literal index and that has nothing else on it (`commits[0]`): the index.
    @exclusivity(unchecked) var literalIndex: Double?
    /// For a name step whose one stage is an index list known when compiling (`topics[[0..2]]`), with nothing else on it: the indexes.
    @exclusivity(unchecked) var literalIndexes: [Double]?
    /// A name step whose stages are all predicates and that has nothing else on it (`contacts[type = "x"]`).
    @exclusivity(unchecked) var filteredName = false
    /// For a condition: its then-branch is its test again (see `Finalizer.markRepeatedTests`).
    @exclusivity(unchecked) var thenRepeatsTest = false
    /// The numbers of such a constructor, worked out once (see `Finalizer.constantNumbers`).
    @exclusivity(unchecked) var constantNumbers: [Double]?
    /// `builtin` can be returned without a scope search (see `Finalizer.markDirectBuiltins`).
    @exclusivity(unchecked) var directBuiltin = false
    /// For a block: whether it needs a scope of its own (see `Finalizer.markScopelessBlocks`).
    @exclusivity(unchecked) var needsScope = true

    // transforms and regexes
    @exclusivity(unchecked) var regex: RegexBox?
    /// For a regex literal passed straight to `$contains`, `$match`, `$replace` or `$split`: its
    /// function value can be made once (see `Finalizer.markSharedRegexes`).
    @exclusivity(unchecked) var sharedRegex = false

    init(_ kind: Kind, position: Int) {
        self.kind = kind
        self.position = position
    }

    var hasAnnotations: Bool { predicate != nil || group != nil || keepArray }
    /// `hasAnnotations`, stored once the tree is final.
    @exclusivity(unchecked) var annotated = true
}

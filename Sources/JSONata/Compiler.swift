import Foundation

/// Parses and post-processes source text into an evaluable tree.
enum Compiler {
    static func compile(_ source: String) throws -> Node {
        var parser = try Parser(source)
        let raw = try parser.parse()
        var processor = ASTProcessor()
        let root = try processor.run(raw)
        Finalizer.finalize(root)
        Finalizer.markDirectBuiltins(root)
        Finalizer.callBuiltinsInPlace(root)
        Finalizer.markSharedRegexes(root)
        Finalizer.markRepeatedTests(root)
        Finalizer.markScopelessBlocks(root)
        return Node.freeze(root)
    }
}

/// Precomputes facts the evaluator uses on its hot paths.
enum Finalizer {
    static func isPlain(_ n: SyntaxNode, apartFromStages: Bool = false) -> Bool {
        n.predicate == nil && (apartFromStages || n.stages == nil) && n.group == nil && n.focus == nil && n.indexVar == nil
            && !n.tuple && n.ancestor == nil && !n.keepArray && n.seekingParent == nil
    }

    static func finalize(_ node: SyntaxNode?) {
        guard let node else { return }
        node.plain = isPlain(node)
        node.annotated = node.hasAnnotations
        func literalKeys(_ pairs: [(SyntaxNode, SyntaxNode)]) -> ContiguousArray<String>? {
            var keys = ContiguousArray<String>()
            for (k, _) in pairs {
                // a key with a predicate (`"a"[false]`) is evaluated, not read as text
                guard k.kind == .string, !k.hasAnnotations, !keys.contains(k.text) else { return nil }
                keys.append(k.text)
            }
            return keys
        }
        if node.kind == .objectConstructor { node.literalKeys = literalKeys(node.pairs) }
        if holdsConstantIndexes(node) {
            node.constantIndexes = true
            node.constantNumbers = constantNumbers(node.expressions)
        }
        if let g = node.group { node.groupLiteralKeys = literalKeys(g.pairs) }
        if node.kind == .name, let stages = node.stages, !stages.isEmpty, isPlain(node, apartFromStages: true),
           stages.allSatisfy({ if case .filter = $0 { return true } else { return false } })
        {
            node.filteredName = true
        }
        if node.kind == .name, let stages = node.stages, stages.count == 1, case .filter(let e, _) = stages[0],
           !e.hasAnnotations, isPlain(node, apartFromStages: true)
        {
            if e.kind == .number, case .number(let d) = e.literal {
                node.literalIndex = d
            } else if holdsConstantIndexes(e) {
                node.literalIndexes = constantNumbers(e.expressions)
            }
        }
        switch node.kind {
        case .path:
            var simple = !node.keepSingletonArray && node.group == nil && !node.tuple && node.steps.count >= 1
            for (i, s) in node.steps.enumerated() {
                let okKind = s.kind == .name || (i == 0 && s.kind == .variable && node.steps.count > 1)
                if !okKind || !isPlain(s) { simple = false }
            }
            node.simplePath = simple
            var tail = node.steps.count
            while tail > 0, node.steps[tail - 1].kind == .name, isPlain(node.steps[tail - 1]) { tail -= 1 }
            node.simpleTail = !node.keepSingletonArray && node.group == nil && !node.tuple ? tail : Int.max
        case .variable:
            node.builtin = Builtins.table[node.text]
            node.symbol = Symbols.id(node.text)
        case .parent:
            if let s = node.slot { node.symbol = Symbols.id(s.label) }
        case .bind:
            node.symbol = Symbols.id(node.lhs!.text)
        case .lambda:
            node.paramSyms = ContiguousArray(node.params.map { Symbols.id($0) })
        case .binary:
            let ops: [String: Node.BinOp] = [
                "+": .add, "-": .sub, "*": .mul, "/": .div, "%": .mod, "=": .eq, "!=": .ne, "<": .lt, "<=": .le,
                ">": .gt, ">=": .ge, "&": .concat, "and": .and, "or": .or, "..": .range, "in": .member,
            ]
            node.binOp = ops[node.text] ?? .unknown
        default: break
        }
        if let f = node.focus { node.focusSym = Symbols.id(f) }
        if let i = node.indexVar { node.indexSym = Symbols.id(i) }
        if let a = node.ancestor { node.ancestorSym = Symbols.id(a.label) }
        finalize(node.lhs)
        finalize(node.rhs)
        finalize(node.third)
        finalize(node.procedure)
        finalize(node.body)
        for e in node.expressions { finalize(e) }
        for (k, v) in node.pairs { finalize(k); finalize(v) }
        for s in node.steps { finalize(s) }
        for a in node.arguments { finalize(a) }
        for t in node.sortTerms { finalize(t.expr) }
        if let g = node.group { for (k, v) in g.pairs { finalize(k); finalize(v) } }
        for stages in [node.predicate, node.stages] {
            for case .filter(let e, _) in stages ?? [] { finalize(e) }
        }
    }

    /// The numbers an array of number literals and integer ranges holds, when there are at most
    /// 1,000 (a longer range, or one that is an error, is left to the evaluator).
    /// Whether `node` is an array constructor of number literals and literal ranges (`[0..2]`).
    static func holdsConstantIndexes(_ node: SyntaxNode) -> Bool {
        guard node.kind == .arrayConstructor && !node.hasAnnotations else { return false }
        func literalNumber(_ n: SyntaxNode?) -> Bool { n.map { $0.kind == .number && !$0.hasAnnotations } ?? false }
        return node.expressions.allSatisfy { e in
            literalNumber(e) || (e.kind == .binary && e.text == ".." && !e.hasAnnotations && literalNumber(e.lhs) && literalNumber(e.rhs))
        }
    }

    static func constantNumbers(_ expressions: [SyntaxNode]) -> [Double]? {
        var numbers: [Double] = []
        for e in expressions {
            if e.kind == .number, case .number(let d) = e.literal {
                numbers.append(d)
                continue
            }
            guard case .number(let from)? = e.lhs?.literal, case .number(let to)? = e.rhs?.literal,
                  from == from.rounded(), to == to.rounded(), abs(from) < 1e9, abs(to) < 1e9 else { return nil }
            if to < from { continue }
            guard to - from < 1_000, numbers.count + Int(to - from) < 1_000 else { return nil }
            var n = from
            while n <= to {
                numbers.append(n)
                n += 1
            }
        }
        return numbers
    }

    /// Calls `f` on `node` and every node below it (the children `finalize` walks).
    static func visit(_ node: SyntaxNode?, _ f: (SyntaxNode) -> Void) {
        guard let node else { return }
        f(node)
        visit(node.lhs, f)
        visit(node.rhs, f)
        visit(node.third, f)
        visit(node.procedure, f)
        visit(node.body, f)
        for e in node.expressions { visit(e, f) }
        for (k, v) in node.pairs { visit(k, f); visit(v, f) }
        for s in node.steps { visit(s, f) }
        for a in node.arguments { visit(a, f) }
        for t in node.sortTerms { visit(t.expr, f) }
        if let g = node.group { for (k, v) in g.pairs { visit(k, f); visit(v, f) } }
        for stages in [node.predicate, node.stages] {
            for case .filter(let e, _) in stages ?? [] { visit(e, f) }
        }
    }

    /// Marks references to built-ins (`$substring`, ...) that no scope of this tree can rebind, so
    /// the evaluator answers them without searching every enclosing scope (they always miss).
    /// Every binding site is collected: `:=`, lambda parameters (also bound by partial
    /// application), focus/index/ancestor variables of tuple streams, and `#` index stages.
    /// Names bound by the host (`bindings`, host functions) are checked per evaluation.
    static func markDirectBuiltins(_ root: SyntaxNode) {
        var bound = Set<Int32>()
        visit(root) { n in
            if n.kind == .bind { bound.insert(n.symbol) }
            if n.kind == .lambda { for p in n.paramSyms { bound.insert(p) } }
            if n.focusSym >= 0 { bound.insert(n.focusSym) }
            if n.indexSym >= 0 { bound.insert(n.indexSym) }
            if n.ancestorSym >= 0 { bound.insert(n.ancestorSym) }
            if let slot = n.slot { bound.insert(Symbols.id(slot.label)) }
            for stages in [n.predicate, n.stages] {
                for case .index(let name) in stages ?? [] { bound.insert(Symbols.id(name)) }
            }
        }
        visit(root) { n in
            if n.kind == .variable, n.builtin != nil, !bound.contains(n.symbol) { n.directBuiltin = true }
        }
    }

    /// Whether a call's procedure is a built-in named directly (`$substring`), which no scope can
    /// rebind (see `markDirectBuiltins`).
    static func namesBuiltinDirectly(_ procedure: SyntaxNode?) -> Bool {
        guard let p = procedure else { return false }
        return p.kind == .variable && p.directBuiltin && p.plain
    }

    /// Undoes the tail-call thunk of a lambda's last call when that call names a built-in directly
    /// (`function($s) { $uppercase($s) }`): a built-in never calls back through the lambda's tail,
    /// so the thunk would only cost a function value, an argument array and a trip through the
    /// trampoline on every call. The call then runs where it stands, with the same input, scope,
    /// arguments and error position. Run after `markDirectBuiltins`.
    static func callBuiltinsInPlace(_ root: SyntaxNode) {
        func untail(_ e: SyntaxNode) -> SyntaxNode {
            if e.kind == .lambda, e.thunk, let call = e.body, namesBuiltinDirectly(call.procedure) { return call }
            if e.kind == .condition {
                if let t = e.rhs { e.rhs = untail(t) }
                if let x = e.third { e.third = untail(x) }
            } else if e.kind == .block, let last = e.expressions.last {
                e.expressions[e.expressions.count - 1] = untail(last)
            }
            return e
        }
        visit(root) { n in
            if n.kind == .lambda, !n.thunk, let body = n.body { n.body = untail(body) }
        }
    }

    /// Marks regex literals passed directly to a built-in that only matches with them (`$contains`,
    /// `$match`, `$replace`, `$split`): none of these hands the function value back, so nothing can
    /// compare two evaluations' values, and one value made when compiling serves every call.
    /// (Elsewhere each evaluation makes its own, as in the reference: `$f() = $f()` is false for
    /// `$f := function(){ /a/ }`.) Run after `markDirectBuiltins`.
    static func markSharedRegexes(_ root: SyntaxNode) {
        let matchers: Set<String> = ["contains", "match", "replace", "split"]
        visit(root) { n in
            guard n.kind == .function, let p = n.procedure, namesBuiltinDirectly(p), matchers.contains(p.text) else { return }
            for a in n.arguments where a.kind == .regex && !a.hasAnnotations { a.sharedRegex = true }
        }
    }

    /// Marks blocks that can evaluate in their enclosing scope instead of a new one: nothing
    /// below them can bind a variable. That excludes `:=` anywhere below (also inside lambdas,
    /// to stay simple), `$eval` (which binds in its caller's scope), and calls of anything but
    /// a built-in named directly, since a function value could be `$eval` under another name.
    /// Run after `markDirectBuiltins`.
    static func markScopelessBlocks(_ root: SyntaxNode) {
        visit(root) { block in
            guard block.kind == .block else { return }
            var binds = false
            visit(block) { n in
                switch n.kind {
                case .bind: binds = true
                case .variable where n.text == "eval": binds = true
                case .function, .partial:
                    if n.procedure != nil, !namesBuiltinDirectly(n.procedure) { binds = true }
                case .apply:
                    if n.rhs?.kind != .function { binds = true }
                default: break
                }
            }
            block.needsScope = binds
        }
    }
}

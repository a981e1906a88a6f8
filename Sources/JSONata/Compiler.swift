import Foundation

/// Parses and post-processes source text into an evaluable tree.
enum Compiler {
    static func compile(_ source: String) throws -> Node {
        var parser = try Parser(source)
        let raw = try parser.parse()
        var processor = ASTProcessor()
        let root = try processor.run(raw)
        Finalizer.finalize(root)
        return root
    }
}

/// Precomputes facts the evaluator uses on its hot paths.
enum Finalizer {
    static func isPlain(_ n: Node) -> Bool {
        n.predicate == nil && n.stages == nil && n.group == nil && n.focus == nil && n.indexVar == nil
            && !n.tuple && n.ancestor == nil && !n.keepArray && n.seekingParent == nil
    }

    static func finalize(_ node: Node?) {
        guard let node else { return }
        node.plain = isPlain(node)
        node.annotated = node.hasAnnotations
        func literalKeys(_ pairs: [(Node, Node)]) -> ContiguousArray<String>? {
            var keys = ContiguousArray<String>()
            for (k, _) in pairs {
                guard k.kind == .string, !keys.contains(k.text) else { return nil }
                keys.append(k.text)
            }
            return keys
        }
        if node.kind == .objectConstructor { node.literalKeys = literalKeys(node.pairs) }
        if let g = node.group { node.groupLiteralKeys = literalKeys(g.pairs) }
        switch node.kind {
        case .path:
            var simple = !node.keepSingletonArray && node.group == nil && !node.tuple && node.steps.count >= 1
            for (i, s) in node.steps.enumerated() {
                let okKind = s.kind == .name || (i == 0 && s.kind == .variable && node.steps.count > 1)
                if !okKind || !isPlain(s) { simple = false }
            }
            node.simplePath = simple
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
}

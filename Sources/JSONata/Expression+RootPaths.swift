extension Expression {
    /// Every path evaluated against the root input (including `$$` paths anywhere), with its
    /// leading field names and start position, in source order.
    public var rootPaths: [RootPath] {
        var out: [RootPath] = []
        RootPathCollector.collect(root, rooted: true, into: &out)
        var seen = Set<RootPath>()
        return out.filter { seen.insert($0).inserted }.sorted { $0.position < $1.position }
    }
}

enum RootPathCollector {
    static func leadingNames(_ steps: ArraySlice<Node>) -> [String] {
        var names: [String] = []
        for s in steps {
            guard s.kind == .name else { break }
            names.append(s.text)
            if s.stages != nil || s.predicate != nil || s.group != nil { break }
        }
        return names
    }

    static func collect(_ node: Node?, rooted: Bool, into out: inout [RootPath]) {
        guard let node else { return }
        switch node.kind {
        case .path:
            let first = node.steps[0]
            if first.kind == .variable && first.text == "$" {
                let names = leadingNames(node.steps.dropFirst())
                out.append(RootPath(fields: names, position: first.start))
            } else if rooted && first.kind == .variable && first.text.isEmpty {
                let names = leadingNames(node.steps.dropFirst())
                if !names.isEmpty { out.append(RootPath(fields: names, position: first.start)) }
            } else if rooted && first.kind == .name {
                out.append(RootPath(fields: leadingNames(node.steps[...]), position: first.start))
            } else {
                collectStep(first, rooted: rooted, into: &out)
            }
            for (i, s) in node.steps.enumerated() {
                if i == 0 && first.kind != .name && first.kind != .variable { collectAnnotations(s, into: &out); continue }
                if i > 0 { collectStep(s, rooted: false, into: &out) } else { collectAnnotations(s, into: &out) }
            }
            if let g = node.group { for (k, v) in g.pairs { collect(k, rooted: false, into: &out); collect(v, rooted: false, into: &out) } }
        case .variable:
            if node.text == "$" { out.append(RootPath(fields: [], position: node.start)) }
            collectAnnotations(node, into: &out)
        default:
            collectStep(node, rooted: rooted, into: &out)
        }
    }

    static func collectAnnotations(_ node: Node, into out: inout [RootPath]) {
        for stages in [node.predicate, node.stages] {
            for case .filter(let e, _) in stages ?? [] { collect(e, rooted: false, into: &out) }
        }
        if let g = node.group { for (k, v) in g.pairs { collect(k, rooted: false, into: &out); collect(v, rooted: false, into: &out) } }
        for t in node.sortTerms { collect(t.expr, rooted: false, into: &out) }
    }

    /// Visits a node's children; `rooted` says whether the node's own context is the root.
    static func collectStep(_ node: Node, rooted: Bool, into out: inout [RootPath]) {
        switch node.kind {
        case .path, .variable:
            collect(node, rooted: rooted, into: &out)
            return
        case .transform:
            collect(node.lhs, rooted: false, into: &out)
            collect(node.rhs, rooted: false, into: &out)
            collect(node.third, rooted: false, into: &out)
        case .lambda:
            collect(node.body, rooted: rooted, into: &out)
        case .function, .partial:
            collect(node.procedure, rooted: rooted, into: &out)
            for a in node.arguments { collect(a, rooted: rooted, into: &out) }
        default:
            collect(node.lhs, rooted: rooted, into: &out)
            collect(node.rhs, rooted: rooted, into: &out)
            collect(node.third, rooted: rooted, into: &out)
            for e in node.expressions { collect(e, rooted: rooted, into: &out) }
            for (k, v) in node.pairs { collect(k, rooted: rooted, into: &out); collect(v, rooted: rooted, into: &out) }
        }
        collectAnnotations(node, into: &out)
    }
}

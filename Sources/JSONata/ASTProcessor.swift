/// Rewrites the raw parse tree into evaluable form: location paths flattened into steps,
/// predicates/grouping/sorting attached to steps, focus and index bindings, parent (`%`)
/// resolution, and tail calls in lambda bodies turned into thunks.
struct ASTProcessor {
    /// How deeply `process` is nested: a long operator chain (`1+1+...`) parses without
    /// recursion but makes a tree as deep as it is long.
    var nesting = 0
    var ancestorLabel = 0
    var ancestorIndex = 0
    var ancestry: [SyntaxNode] = []

    mutating func run(_ root: SyntaxNode) throws -> SyntaxNode {
        let expr = try process(root)
        if expr.kind == .parent || expr.seekingParent != nil {
            throw JSONataError(code: "S0217", position: expr.position, token: expr.kind == .parent ? "parent" : "path")
        }
        return expr
    }

    func pushAncestry(_ result: SyntaxNode, _ value: SyntaxNode) {
        if value.seekingParent != nil || value.kind == .parent {
            var slots = value.seekingParent ?? []
            if value.kind == .parent, let s = value.slot { slots.append(s) }
            if result.seekingParent == nil {
                result.seekingParent = slots
            } else {
                result.seekingParent!.append(contentsOf: slots)
            }
        }
    }

    mutating func seekParent(_ node: SyntaxNode, _ slotIn: AncestorSlot) throws -> AncestorSlot {
        var slot = slotIn
        switch node.kind {
        case .name, .wildcard:
            slot.level -= 1
            if slot.level == 0 {
                if let existing = node.ancestor {
                    ancestry[slot.index].slot?.label = existing.label
                    node.ancestor = slot
                } else {
                    node.ancestor = slot
                }
                node.tuple = true
            }
        case .parent:
            slot.level += 1
        case .block:
            if let last = node.expressions.last {
                node.tuple = true
                slot = try seekParent(last, slot)
            }
        case .path:
            node.tuple = true
            var index = node.steps.count - 1
            slot = try seekParent(node.steps[index], slot)
            index -= 1
            while slot.level > 0 && index >= 0 {
                slot = try seekParent(node.steps[index], slot)
                index -= 1
            }
        default:
            throw JSONataError(code: "S0217", position: node.position, token: String(describing: node.kind))
        }
        return slot
    }

    mutating func resolveAncestry(_ path: SyntaxNode) throws {
        var index = path.steps.count - 1
        let laststep = path.steps[index]
        var slots = laststep.seekingParent ?? []
        if laststep.kind == .parent, let s = laststep.slot { slots.append(s) }
        for var slot in slots {
            index = path.steps.count - 2
            while slot.level > 0 {
                if index < 0 {
                    if path.seekingParent == nil { path.seekingParent = [slot] } else { path.seekingParent!.append(slot) }
                    break
                }
                var step = path.steps[index]
                index -= 1
                while index >= 0 && step.focus != nil && path.steps[index].focus != nil {
                    step = path.steps[index]
                    index -= 1
                }
                slot = try seekParent(step, slot)
            }
        }
    }

    func tailCallOptimize(_ expr: SyntaxNode) -> SyntaxNode {
        if expr.kind == .function && expr.predicate == nil {
            let thunk = SyntaxNode(.lambda, position: expr.position)
            thunk.thunk = true
            thunk.body = expr
            return thunk
        } else if expr.kind == .condition {
            if let t = expr.rhs { expr.rhs = tailCallOptimize(t) }
            if let e = expr.third { expr.third = tailCallOptimize(e) }
        } else if expr.kind == .block, let last = expr.expressions.last {
            expr.expressions[expr.expressions.count - 1] = tailCallOptimize(last)
        }
        return expr
    }

    mutating func process(_ expr: SyntaxNode) throws -> SyntaxNode {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Parser.maximumNesting { throw Parser.tooDeep(at: expr.position) }
        var result: SyntaxNode
        switch expr.kind {
        case .binary:
            result = try processBinary(expr)
        case .unary:
            // unary minus
            let inner = try process(expr.lhs!)
            if inner.kind == .number, case .number(let v) = inner.literal {
                inner.literal = .number(-v)
                result = inner
            } else {
                result = SyntaxNode(.negate, position: expr.position)
                result.lhs = inner
                pushAncestry(result, inner)
            }
        case .arrayConstructor:
            result = SyntaxNode(.arrayConstructor, position: expr.position)
            for item in expr.expressions {
                let v = try process(item)
                pushAncestry(result, v)
                result.expressions.append(v)
            }
        case .objectConstructor:
            result = SyntaxNode(.objectConstructor, position: expr.position)
            for (k, v) in expr.pairs {
                let key = try process(k)
                pushAncestry(result, key)
                let value = try process(v)
                pushAncestry(result, value)
                result.pairs.append((key, value))
            }
        case .function, .partial:
            result = SyntaxNode(expr.kind, position: expr.position)
            for arg in expr.arguments {
                let a = try process(arg)
                pushAncestry(result, a)
                result.arguments.append(a)
            }
            result.procedure = try process(expr.procedure!)
        case .lambda:
            result = SyntaxNode(.lambda, position: expr.position)
            result.params = expr.params
            result.signature = expr.signature
            result.body = tailCallOptimize(try process(expr.body!))
        case .condition:
            result = SyntaxNode(.condition, position: expr.position)
            result.lhs = try process(expr.lhs!)
            pushAncestry(result, result.lhs!)
            result.rhs = try process(expr.rhs!)
            pushAncestry(result, result.rhs!)
            if let e = expr.third {
                result.third = try process(e)
                pushAncestry(result, result.third!)
            }
        case .transform:
            result = SyntaxNode(.transform, position: expr.position)
            result.lhs = try process(expr.lhs!)
            result.rhs = try process(expr.rhs!)
            if let d = expr.third { result.third = try process(d) }
        case .block:
            result = SyntaxNode(.block, position: expr.position)
            for item in expr.expressions {
                let part = try process(item)
                pushAncestry(result, part)
                if part.consArray || (part.kind == .path && part.steps[0].consArray) { result.consArray = true }
                result.expressions.append(part)
            }
        case .name:
            result = SyntaxNode(.path, position: expr.position)
            result.steps = [expr]
            if expr.keepArray { result.keepSingletonArray = true }
        case .parent:
            result = SyntaxNode(.parent, position: expr.position)
            result.slot = AncestorSlot(label: "!\(ancestorLabel)", level: 1, index: ancestorIndex)
            ancestorLabel += 1
            ancestorIndex += 1
            ancestry.append(result)
        case .string, .number, .value, .wildcard, .descendant, .variable, .regex:
            result = expr
        case .error:
            throw JSONataError(code: expr.text, position: expr.position, token: "(end)")
        default:
            result = expr
        }
        if expr.keepArray { result.keepArray = true }
        return result
    }

    mutating func processBinary(_ expr: SyntaxNode) throws -> SyntaxNode {
        let op = expr.text
        switch op {
        case ".":
            let lstep = try process(expr.lhs!)
            let result: SyntaxNode
            if lstep.kind == .path {
                result = lstep
            } else {
                result = SyntaxNode(.path, position: lstep.position)
                result.steps = [lstep]
            }
            if lstep.kind == .parent, let s = lstep.slot { result.seekingParent = [s] }
            let rest = try process(expr.rhs!)
            if rest.kind == .path {
                result.steps.append(contentsOf: rest.steps)
            } else {
                if rest.predicate != nil {
                    rest.stages = rest.predicate
                    rest.predicate = nil
                }
                result.steps.append(rest)
            }
            for step in result.steps {
                if step.kind == .number || step.kind == .value {
                    throw JSONataError(code: "S0213", position: step.position, value: step.literal)
                }
                if step.kind == .string { step.kind = .name }
            }
            if result.steps.contains(where: { $0.keepArray }) { result.keepSingletonArray = true }
            let first = result.steps[0]
            if first.kind == .arrayConstructor { first.consArray = true }
            let last = result.steps[result.steps.count - 1]
            if last.kind == .arrayConstructor { last.consArray = true }
            try resolveAncestry(result)
            return result
        case "[":
            let result = try process(expr.lhs!)
            var step = result
            var useStages = false
            if result.kind == .path {
                step = result.steps[result.steps.count - 1]
                useStages = true
            }
            if step.group != nil {
                throw JSONataError(code: "S0209", position: expr.position)
            }
            let predicate = try process(expr.rhs!)
            if let seeking = predicate.seekingParent {
                for slot in seeking {
                    if slot.level == 1 {
                        _ = try seekParent(step, slot)
                    } else {
                        slot.level -= 1
                    }
                }
                pushAncestry(step, predicate)
            }
            let stage = SyntaxStage.filter(predicate, position: expr.position)
            if useStages {
                step.stages = (step.stages ?? []) + [stage]
            } else {
                step.predicate = (step.predicate ?? []) + [stage]
            }
            return result
        case "{":
            let result = try process(expr.lhs!)
            if result.group != nil {
                throw JSONataError(code: "S0210", position: expr.position)
            }
            var pairs: [(SyntaxNode, SyntaxNode)] = []
            for (k, v) in expr.pairs { pairs.append((try process(k), try process(v))) }
            result.group = (pairs, expr.position)
            return result
        case "^":
            var result = try process(expr.lhs!)
            if result.kind != .path {
                let p = SyntaxNode(.path, position: result.position)
                p.steps = [result]
                result = p
            }
            let sortStep = SyntaxNode(.sort, position: expr.position)
            for term in expr.sortTerms {
                let e = try process(term.expr)
                pushAncestry(sortStep, e)
                sortStep.sortTerms.append((e, term.descending))
            }
            result.steps.append(sortStep)
            try resolveAncestry(result)
            return result
        case ":=":
            let result = SyntaxNode(.bind, position: expr.position)
            result.lhs = try process(expr.lhs!)
            result.rhs = try process(expr.rhs!)
            pushAncestry(result, result.rhs!)
            return result
        case "@":
            let result = try process(expr.lhs!)
            var step = result
            if result.kind == .path { step = result.steps[result.steps.count - 1] }
            if step.stages != nil || step.predicate != nil {
                throw JSONataError(code: "S0215", position: expr.position)
            }
            if step.kind == .sort {
                throw JSONataError(code: "S0216", position: expr.position)
            }
            if expr.keepArray { step.keepArray = true }
            step.focus = expr.rhs!.text
            step.tuple = true
            return result
        case "#":
            var result = try process(expr.lhs!)
            var step = result
            if result.kind == .path {
                step = result.steps[result.steps.count - 1]
            } else {
                let p = SyntaxNode(.path, position: result.position)
                p.steps = [result]
                result = p
                if step.predicate != nil {
                    step.stages = step.predicate
                    step.predicate = nil
                }
            }
            if step.stages == nil {
                step.indexVar = expr.rhs!.text
            } else {
                step.stages!.append(.index(expr.rhs!.text))
            }
            step.tuple = true
            return result
        case "~>":
            let result = SyntaxNode(.apply, position: expr.position)
            result.lhs = try process(expr.lhs!)
            result.rhs = try process(expr.rhs!)
            if result.rhs!.keepArray { result.keepArray = true }
            pushAncestry(result, result.lhs!)
            pushAncestry(result, result.rhs!)
            return result
        case "??", "?:":
            let result = SyntaxNode(.coalesce, position: expr.position)
            result.text = op
            result.lhs = try process(expr.lhs!)
            result.rhs = try process(expr.rhs!)
            pushAncestry(result, result.lhs!)
            pushAncestry(result, result.rhs!)
            return result
        default:
            let result = SyntaxNode(.binary, position: expr.position)
            result.text = op
            result.lhs = try process(expr.lhs!)
            result.rhs = try process(expr.rhs!)
            pushAncestry(result, result.lhs!)
            pushAncestry(result, result.rhs!)
            return result
        }
    }
}

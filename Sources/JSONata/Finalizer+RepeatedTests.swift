extension Finalizer {
    /// Built-ins whose result is not fixed by their arguments and context (`$random`), or that
    /// evaluate text that may call one (`$eval`).
    static let unrepeatable: Set<String> = ["random", "eval"]

    /// Marks conditions whose then-branch is their test again (`$lookup($a, k) ? $lookup($a, k) : 0`,
    /// the idiom from before `?:`): the test's value is the branch's value, so it is evaluated
    /// once. Only expressions whose parts always give the same value in the same scope and
    /// context qualify (see `sameValue`). Run after `markDirectBuiltins`.
    static func markRepeatedTests(_ root: SyntaxNode) {
        visit(root) { n in
            if n.kind == .condition, let test = n.lhs, let then = n.rhs, sameValue(test, then) { n.thenRepeatsTest = true }
        }
    }

    /// Whether `a` and `b` are the same expression built only of literals, variables, plain name
    /// paths, operators and calls of built-ins named directly (other than `unrepeatable` ones),
    /// with nothing on any part that could make two evaluations differ. Anything else is "no".
    static func sameValue(_ a: SyntaxNode, _ b: SyntaxNode) -> Bool {
        guard a.kind == b.kind, a.text == b.text, !a.hasAnnotations, !b.hasAnnotations, isPlain(a), isPlain(b) else { return false }
        switch a.kind {
        case .string, .number, .value:
            return a.literal == b.literal
        case .variable, .name:
            return true
        case .path:
            return a.keepSingletonArray == b.keepSingletonArray && a.steps.count == b.steps.count
                && zip(a.steps, b.steps).allSatisfy { sameValue($0, $1) }
        case .binary:
            guard let al = a.lhs, let bl = b.lhs, let ar = a.rhs, let br = b.rhs else { return false }
            return sameValue(al, bl) && sameValue(ar, br)
        case .function:
            guard namesBuiltinDirectly(a.procedure), namesBuiltinDirectly(b.procedure), let name = a.procedure?.text,
                  name == b.procedure?.text, !unrepeatable.contains(name), a.arguments.count == b.arguments.count
            else { return false }
            return zip(a.arguments, b.arguments).allSatisfy { sameValue($0, $1) }
        default:
            return false
        }
    }
}

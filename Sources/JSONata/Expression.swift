import Foundation
import OrderedCollections

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

/// Limits that stop a runaway evaluation.
public struct EvaluationLimits: Sendable, Hashable {
    /// Maximum nesting of evaluation steps (deep recursion fails with `U1001`).
    public var maxDepth: Int
    /// Wall-clock budget for one evaluation (exceeding it fails with `U1002`); nil means none.
    public var timeout: Duration?

    /// Creates limits.
    public init(maxDepth: Int = 1000, timeout: Duration? = .seconds(10)) {
        self.maxDepth = maxDepth
        self.timeout = timeout
    }

    /// 1000 levels of nesting and ten seconds.
    public static let `default` = EvaluationLimits()
}

/// A function supplied by the host application, callable from expressions as `$name(...)`.
public struct HostFunction: Sendable {
    /// The name it is called by, without the `$`.
    public let name: String
    /// Optional JSONata signature such as `<s-n?:s>`, checked before the body runs.
    public let signature: String?
    /// The implementation; arguments are nil where undefined, a nil result means undefined.
    public let body: @Sendable ([JSONValue?]) throws -> JSONValue?

    /// Creates a host function.
    public init(name: String, signature: String? = nil, body: @escaping @Sendable ([JSONValue?]) throws -> JSONValue?) {
        self.name = name
        self.signature = signature
        self.body = body
    }
}

/// A reference an expression makes to the root input: its leading field names and where it starts.
public struct RootPath: Sendable, Hashable, CustomStringConvertible {
    /// Leading field names, e.g. `["steps", "shorten", "output", "body"]`.
    public let fields: [String]
    /// UTF-16 offset in the source where the path starts.
    public let position: Int
    /// The fields joined with dots.
    public var description: String { fields.joined(separator: ".") }
}

/// A compiled JSONata expression: parse once, evaluate many times from any thread.
public struct Expression: Sendable {
    /// The source text it was compiled from.
    public let source: String
    let root: Node
    let hostFunctions: [String: FunctionBoxHolder]

    /// Compiles `source`; throws `JSONataError` with the reference's code and position on a syntax error.
    public init(_ source: String, functions: [HostFunction] = []) throws {
        self.source = source
        self.root = try Compiler.compile(source)
        var hf: [String: FunctionBoxHolder] = [:]
        for f in functions {
            let sig: Signature?
            do {
                sig = try f.signature.map { try Signature($0) }
            } catch let e as SignatureError {
                throw JSONataError(code: e.code, position: e.offset, token: e.token)
            }
            let body = f.body
            let builtin = Builtin(f.name, nil, arity: sig?.params.count ?? 1) { _, args, _, _ in
                let jsonArgs = args.map { $0?.toJSON() }
                do {
                    return try body(jsonArgs).map { .json($0) }
                } catch let e as JSONataError {
                    throw e
                } catch {
                    throw JSONataError(code: "D3137", position: -1, message: String(describing: error))
                }
            }
            hf[f.name] = FunctionBoxHolder(FunctionBox(.builtin(builtin), signature: sig), sig)
        }
        self.hostFunctions = hf
    }

    /// Evaluates against `input` (nil = undefined) with extra variable `bindings` (names without `$`).
    /// Returns nil when the result is undefined.
    public func evaluate(_ input: JSONValue?, bindings: [String: JSONValue] = [:], limits: EvaluationLimits = .default) throws -> JSONValue? {
        let timeout = limits.timeout.map { d -> UInt64 in
            let c = d.components
            return UInt64(max(0, c.seconds)) * 1_000_000_000 + UInt64(max(0, c.attoseconds / 1_000_000_000))
        }
        let ev = Evaluator(maxDepth: limits.maxDepth, timeLimitNanos: timeout)
        let env = Frame(parent: nil)
        for (name, holder) in hostFunctions { env.bind(name, .function(holder.box)) }
        for (k, v) in bindings { env.bind(k, .json(v)) }
        var inputValue: Value? = input.map { .json($0) }
        if case .json(.array)? = inputValue {
            let box = ArrayBox([inputValue!], sequence: true)
            box.outerWrapper = true
            inputValue = .array(box)
        }
        env.bind(Symbols.root, inputValue)
        do {
            let result = try ev.evaluate(root, inputValue, env)
            return try result.flatMap { try Expression.output($0) }
        } catch var e as JSONataError {
            if e.position < 0 { e.position = 0 }
            throw e
        }
    }

    /// Evaluates with values for the variables named in `bindings`, given as JSON text bytes for the input.
    public func evaluate(json input: [UInt8], bindings: [String: JSONValue] = [:], limits: EvaluationLimits = .default) throws -> JSONValue? {
        try evaluate(try JSONValue(parsing: input), bindings: bindings, limits: limits)
    }

    static func output(_ v: Value) throws -> JSONValue? {
        if case .function = v { return nil }
        guard let j = v.toJSON() else { return nil }
        return j
    }
}

/// Wraps a function box so it can sit in a `Sendable` expression (it is immutable once built).
final class FunctionBoxHolder: @unchecked Sendable {
    let box: FunctionBox
    let signature: Signature?
    init(_ box: FunctionBox, _ signature: Signature?) {
        self.box = box
        self.signature = signature
    }
}

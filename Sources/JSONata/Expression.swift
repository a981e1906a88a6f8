import Foundation
import OrderedCollections

/// Parses and post-processes source text into an evaluable tree.
enum Compiler {
    static func compile(_ source: String) throws -> Node {
        var parser = try Parser(source)
        let raw = try parser.parse()
        var processor = ASTProcessor()
        return try processor.run(raw)
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
        env.bind("$", inputValue)
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

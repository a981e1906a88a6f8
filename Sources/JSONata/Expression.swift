import Foundation
import OrderedCollections

/// A compiled JSONata expression: parse once, evaluate many times from any thread.
public struct Expression: Sendable {
    /// The source text it was compiled from.
    public let source: String
    let root: Node
    let hostFunctions: [String: FunctionBoxHolder]
    /// Whether a host function takes a built-in's name.
    let hostShadowsBuiltins: Bool

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
            let declared = sig?.params.count ?? 0
            let builtin = Builtin(f.name, nil, arity: sig?.params.count ?? 1) { _, args, _, _ in
                // every declared argument, nil where the call left it out
                var jsonArgs = args.map { $0?.toJSON() }
                while jsonArgs.count < declared { jsonArgs.append(nil) }
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
        self.hostShadowsBuiltins = hf.keys.contains { Builtins.table[$0] != nil }
    }

    /// Evaluates against `input` (nil = undefined) with extra variable `bindings` (names without `$`).
    /// Returns nil when the result is undefined.
    public func evaluate(_ input: JSONValue?, bindings: [String: JSONValue] = [:], limits: EvaluationLimits = .default) throws -> JSONValue? {
        let ev = Evaluator(maxDepth: limits.maxDepth, timeLimitNanos: limits.timeoutNanos)
        let env = Frame(parent: nil)
        if !hostFunctions.isEmpty {
            for (name, holder) in hostFunctions { env.bind(name, .function(holder.box)) }
        }
        ev.hostShadowsBuiltins = hostShadowsBuiltins
        if !bindings.isEmpty {
            for (k, v) in bindings { env.bind(k, .json(v)) }
            if bindings.keys.contains(where: { Builtins.table[$0] != nil }) { ev.hostShadowsBuiltins = true }
        }
        var inputValue: Value? = input.map { .json($0) }
        if case .json(.array)? = inputValue {
            let box = ArrayBox([inputValue!], sequence: true)
            box.outerWrapper = true
            inputValue = .array(box)
        }
        ev.rootInput = inputValue
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

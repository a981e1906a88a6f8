import Foundation

/// A built-in's arguments: a view lent for the duration of the call, never to be kept.
/// Direct calls (`$length(x)`) fill it on the stack instead of allocating an array.
typealias Arguments = UnsafeBufferPointer<Value?>

/// A native function's implementation: arguments already checked against its signature.
/// Arguments after the last one given may be missing: read them with `arg(args, i)`.
typealias NativeImpl = (_ ev: Evaluator, _ args: Arguments, _ input: Value?, _ env: Frame) throws -> Value?

/// A built-in or host function.
@_eagerMove final class Builtin: @unchecked Sendable {
    let name: String
    let signature: Signature?
    let arity: Int
    let impl: NativeImpl

    init(_ name: String, _ signature: String?, arity: Int? = nil, _ impl: @escaping NativeImpl) {
        self.name = name
        self.signature = signature.map { try! Signature($0) }
        self.arity = arity ?? self.signature?.params.count ?? 0
        self.impl = impl
    }
}

/// A function value: lambda closure, built-in, partial application, regex, transform, or composition.
@_eagerMove final class FunctionBox: @unchecked Sendable {
    enum Kind {
        /// A lambda closure; its parts are the `lambda...` properties.
        case lambda
        case builtin(Builtin)
        case partial(FunctionBox, [Value?], [Int])
        case regex(RegexBox)
        case transform(Node, Frame)
        case compose(FunctionBox, FunctionBox)
        case native(Int, ([Value?]) throws -> Value?)
    }

    let kind: Kind
    let signature: Signature?
    /// A lambda's definition, captured scope, captured context and parameter names, stored
    /// apart from `kind` so that calling it does not copy (retain and release) an enum payload.
    let lambdaNode: Node?
    let lambdaScope: Frame?
    let lambdaInput: Value?
    let lambdaParams: ContiguousArray<Int32>
    /// The built-in, when this is one (read without copying `kind`'s payload).
    let builtin: Builtin?
    /// Whether this is a tail-call thunk awaiting the trampoline in `apply`.
    let isThunk: Bool

    init(_ kind: Kind, signature: Signature? = nil) {
        assert({ if case .lambda = kind { return false } else { return true } }(), "a lambda is made by init(lambda:...)")
        self.kind = kind
        if case .builtin(let b) = kind { builtin = b } else { builtin = nil }
        isThunk = false
        switch kind {
        case .builtin(let b): self.signature = signature ?? b.signature
        default: self.signature = signature
        }
        lambdaNode = nil
        lambdaScope = nil
        lambdaInput = nil
        lambdaParams = []
    }

    /// A lambda closure over `scope` and the context `input`.
    init(lambda node: Node, scope: Frame, input: Value?, params: ContiguousArray<Int32>, signature: Signature? = nil) {
        kind = .lambda
        builtin = nil
        isThunk = node.thunk
        self.signature = signature
        lambdaNode = node
        lambdaScope = scope
        lambdaInput = input
        lambdaParams = params
    }

    /// Number of declared parameters (used by `$map`, `$filter`, ... to decide what to pass).
    var arity: Int {
        switch kind {
        case .lambda: return lambdaParams.count
        case .builtin(let b): return b.arity
        case .partial(_, _, let holes): return holes.count
        case .regex: return 1
        case .transform: return 1
        case .compose: return 1
        case .native(let n, _): return n
        }
    }
}

extension Evaluator {
    @inline(__always) func procedureName(_ procNode: Node) -> String {
        procNode.kind == .path ? procNode.steps[0].text : procNode.text
    }

    func evaluateFunction(_ node: Node, _ input: Value?, _ env: Frame, applyTo: Value??) throws -> Value? {
        if let b = node.directCall, !hostShadowsBuiltins {
            // A built-in named directly (`$substring(...)`): no scope to search, no function
            // value to make, and its arguments on the stack.
            let arguments = node.arguments
            let count = arguments.count &+ (applyTo == nil ? 0 : 1)
            return try withUnsafeTemporaryAllocation(of: Value?.self, capacity: count) { buffer in
                let base = buffer.baseAddress!
                var filled = 0
                // moved out one by one: `deinitialize(count:)` goes through the generic array destroyer
                defer { for index in 0..<filled { _ = (base + index).move() } }
                if let applyTo {
                    base.initialize(to: applyTo)
                    filled = 1
                }
                for index in arguments.indices {
                    let value = try eval(arguments[index], input, env)
                    (base + filled).initialize(to: value)
                    filled &+= 1
                }
                return try callBuiltin(b.signature, b, Arguments(start: base, count: count), node, input, env)
            }
        }
        let procNode = node.procedure!
        let proc = procNode.kind == .variable && procNode.plain ? evaluateVariable(procNode, input, env) : try evaluate(procNode, input, env)
        if proc == nil, procNode.kind == .path {
            let procName = procedureName(procNode)
            if env.lookup(procName) != nil || Builtins.table[procName] != nil {
                throw JSONataError(code: "T1005", position: node.position, token: procName)
            }
        }
        let args = try evaluateArguments(node, applyTo, input, env)
        if case .function(let f)? = proc, let b = f.builtin {
            return try args.withUnsafeBufferPointer { try callBuiltin(f.signature, b, $0, node, input, env) }
        }
        // a function that is not named (`(function($x){...})(1)`) has no token, as in the reference
        let name = procedureName(procNode)
        return try apply(proc, args, input, env, token: name.isEmpty ? nil : name, position: node.position)
    }

    @inline(__always)
    private func evaluateArguments(_ node: Node, _ applyTo: Value??, _ input: Value?, _ env: Frame) throws -> [Value?] {
        var args: [Value?] = []
        args.reserveCapacity(node.arguments.count + 1)
        if let applyTo { args.append(applyTo) }
        // by index: iterating the array retains each element
        let arguments = node.arguments
        for index in arguments.indices { args.append(try eval(arguments[index], input, env)) }
        return args
    }

    /// Calls a built-in (they never return tail-call thunks), giving its errors this call's position.
    @inline(__always)
    private func callBuiltin(_ signature: Signature?, _ b: Builtin, _ args: Arguments, _ node: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        do {
            if let signature, let adapted = try signature.validate(args, context: input) {
                return try adapted.withUnsafeBufferPointer { try b.impl(self, $0, input, env) }
            }
            return try b.impl(self, args, input, env)
        } catch var e as JSONataError {
            if e.position < 0 { e.position = node.position }
            if e.token == nil { e.token = procedureName(node.procedure!) }
            throw e
        }
    }

    /// Applies a function value, running tail-call thunks in a loop instead of recursing.
    func apply(_ proc: Value?, _ args: [Value?], _ input: Value?, _ env: Frame, token: String?, position: Int) throws -> Value? {
        try runThunks(try applyInner(proc, args, input, env, token: token, position: position))
    }

    /// Runs the tail-call thunk a lambda's body gave, and the ones that gives, until a value comes.
    func runThunks(_ first: Value?) throws -> Value? {
        var result = first
        while case .function(let f)? = result, f.isThunk, let thunk = f.lambdaNode, let fenv = f.lambdaScope {
            let finput = f.lambdaInput
            let call = thunk.body!
            let procNode = call.procedure!
            let next = try evaluate(procNode, finput, fenv)
            let name = procNode.kind == .path ? procNode.steps[0].text : procNode.text
            var nextArgs: [Value?] = []
            nextArgs.reserveCapacity(call.arguments.count)
            let arguments = call.arguments
            for index in arguments.indices { nextArgs.append(try evaluate(arguments[index], finput, fenv)) }
            result = try applyInner(next, nextArgs, finput, fenv, token: name, position: call.position)
        }
        return result
    }

    func applyInner(_ proc: Value?, _ args: [Value?], _ input: Value?, _ env: Frame, token: String?, position: Int) throws -> Value? {
        do {
            guard case .function(let f)? = proc else {
                throw JSONataError(code: "T1006", position: position, token: token)
            }
            let validated = try f.signature?.validate(args, context: input) ?? args
            return try invoke(f, validated, input, env)
        } catch var e as JSONataError {
            if e.position < 0 { e.position = position }
            if e.token == nil { e.token = token }
            throw e
        }
    }

    /// Calls a function with already-validated arguments.
    func invoke(_ f: FunctionBox, _ args: [Value?], _ input: Value?, _ env: Frame) throws -> Value? {
        if let b = f.builtin { return try args.withUnsafeBufferPointer { try b.impl(self, $0, input, env) } }
        // a lambda is told by its node, without copying `kind` (and retaining its payload)
        if let node = f.lambdaNode {
            let params = f.lambdaParams
            if node.thunk {
                // a thunk applied directly (not via the trampoline): run it now
                return .function(f)
            }
            // reuse the argument array's storage for the new scope when the counts match
            var values = ContiguousArray(args)
            if values.count != params.count {
                if values.count > params.count {
                    values.removeLast(values.count - params.count)
                } else {
                    while values.count < params.count { values.append(nil) }
                }
            }
            let frame = Frame(parent: f.lambdaScope!, names: params, values: values)
            return try evaluate(node.body!, f.lambdaInput, frame)
        }
        switch f.kind {
        case .lambda:
            preconditionFailure("a lambda always has its node")
        case .builtin(let b):
            return try args.withUnsafeBufferPointer { try b.impl(self, $0, input, env) }
        case .partial(let base, let bound, let holes):
            var full = bound
            for (i, h) in holes.enumerated() { full[h] = i < args.count ? args[i] : nil }
            return try apply(.function(base), full, input, env, token: nil, position: -1)
        case .regex(let r):
            guard case .json(.string(let s))? = args.first else { return nil }
            return try regexMatchObject(r, s, from: 0)
        case .transform(let node, let tenv):
            return try evaluateTransform(node, tenv, args.first ?? nil)
        case .compose(let a, let b):
            let mid = try apply(.function(a), args, input, env, token: nil, position: -1)
            return try apply(.function(b), [mid], input, env, token: nil, position: -1)
        case .native(_, let fn):
            return try fn(args)
        }
    }

    /// Calls a function value from a built-in (`$map`, `$sort`, ...), passing as many arguments as it takes.
    func call(_ f: Value, _ args: [Value?], _ env: Frame) throws -> Value? {
        try apply(f, args, nil, env, token: nil, position: -1)
    }

    func evaluatePartial(_ node: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        var args: [Value?] = []
        var holes: [Int] = []
        for (i, a) in node.arguments.enumerated() {
            if a.kind == .placeholder {
                args.append(nil)
                holes.append(i)
            } else {
                args.append(try evaluate(a, input, env))
            }
        }
        let procNode = node.procedure!
        let proc = try evaluate(procNode, input, env)
        let procName = procNode.kind == .path ? procNode.steps[0].text : procNode.text
        if proc == nil, procNode.kind == .path, env.lookup(procName) != nil || Builtins.table[procName] != nil {
            throw JSONataError(code: "T1007", position: node.position, token: procName)
        }
        guard case .function(let f)? = proc else {
            throw JSONataError(code: "T1008", position: node.position, token: procName)
        }
        if case .lambda = f.kind, let lnode = f.lambdaNode, !lnode.thunk {
            let params = f.lambdaParams
            let frame = Frame(parent: f.lambdaScope!)
            var unbound = ContiguousArray<Int32>()
            for (i, p) in params.enumerated() {
                if i < node.arguments.count && node.arguments[i].kind == .placeholder {
                    unbound.append(p)
                } else {
                    frame.bind(p, i < args.count ? args[i] : nil)
                }
            }
            return .function(FunctionBox(lambda: lnode, scope: frame, input: f.lambdaInput, params: unbound))
        }
        return .function(FunctionBox(.partial(f, args, holes)))
    }

    func evaluateApply(_ node: Node, _ input: Value?, _ env: Frame) throws -> Value? {
        let lhs = try evaluate(node.lhs!, input, env)
        let rhsNode = node.rhs!
        if rhsNode.kind == .function {
            return try evaluateFunction(rhsNode, input, env, applyTo: .some(lhs))
        }
        let fn = try evaluate(rhsNode, input, env)
        guard case .function(let g)? = fn else {
            throw JSONataError(code: "T2006", position: node.position, value: fn?.toJSON())
        }
        if case .function(let f)? = lhs {
            return .function(FunctionBox(.compose(f, g)))
        }
        return try apply(fn, [lhs], nil, env, token: nil, position: node.position)
    }
}

/// A function value that a built-in (`$map`, `$filter`, `$reduce`, `$sort`) calls once per item.
///
/// A lambda without a signature runs in one scope reused from call to call, its parameters
/// written in place, for as long as nothing has kept that scope: a closure made in the body holds
/// it, and a fresh scope then takes its place for the next call. Anything else is called as
/// `Evaluator.call` calls it. Either way the function sees exactly the scope a call would give it.
final class RepeatedCall {
    private let evaluator: Evaluator
    private let function: Value
    private let env: Frame
    /// The lambda, when it can run in a reused scope.
    private let lambda: FunctionBox?
    private var scope: Frame?
    /// As many arguments as the function declares, from one to three (the reference's hofFuncArgs).
    private let declaredArguments: Int

    init(_ function: Value, _ evaluator: Evaluator, _ env: Frame) {
        self.evaluator = evaluator
        self.function = function
        self.env = env
        declaredArguments = min(max(functionArity(function), 1), 3)
        if case .function(let f) = function, f.lambdaNode != nil, !f.isThunk, f.signature == nil {
            lambda = f
        } else {
            lambda = nil
        }
    }

    /// Calls with as many of `a1`, `a2`, `a3` as the function declares (item, index, array for
    /// `$map`; value, key, object for `$each`).
    func callAsFunction(_ a1: Value?, _ a2: Value?, _ a3: Value?) throws -> Value? {
        try callAsFunction(passing: declaredArguments, a1, a2, a3)
    }

    /// Calls with the first `count` of `a1`...`a4`, as `call(function, [a1, ...])` would.
    func callAsFunction(passing count: Int, _ a1: Value?, _ a2: Value? = nil, _ a3: Value? = nil, _ a4: Value? = nil) throws -> Value? {
        guard let f = lambda else {
            var args: [Value?] = [a1]
            if count > 1 { args.append(a2) }
            if count > 2 { args.append(a3) }
            if count > 3 { args.append(a4) }
            return try evaluator.call(function, args, env)
        }
        let params = f.lambdaParams
        // a scope something still holds (a closure from the last call) is left to it
        if !isKnownUniquelyReferenced(&scope) {
            scope = Frame(parent: f.lambdaScope!, names: params, values: undefinedValues(params.count))
        }
        let frame = scope!
        frame.rebind(params, count, a1, a2, a3, a4)
        return try evaluator.runThunks(try evaluator.evaluate(f.lambdaNode!.body!, f.lambdaInput, frame))
    }
}

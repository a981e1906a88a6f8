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

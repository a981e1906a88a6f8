/// Limits that stop a runaway evaluation.
public struct EvaluationLimits: Sendable, Hashable {
    /// Maximum nesting of evaluation steps (deep recursion fails with `U1001`).
    public var maxDepth: Int
    /// Wall-clock budget for one evaluation (exceeding it fails with `U1002`); nil means none.
    public var timeout: Duration? {
        didSet { timeoutNanos = Self.nanoseconds(timeout) }
    }
    /// `timeout` in nanoseconds, worked out once: splitting a Duration on every evaluation was a
    /// tenth of the cost of evaluating a small expression.
    private(set) var timeoutNanos: UInt64?

    /// Creates limits.
    public init(maxDepth: Int = 1000, timeout: Duration? = .seconds(10)) {
        self.maxDepth = maxDepth
        self.timeout = timeout
        self.timeoutNanos = Self.nanoseconds(timeout)
    }

    /// 1000 levels of nesting and ten seconds.
    public static let `default` = EvaluationLimits()

    private static func nanoseconds(_ duration: Duration?) -> UInt64? {
        duration.map { d in
            let c = d.components
            return UInt64(max(0, c.seconds)) * 1_000_000_000 + UInt64(max(0, c.attoseconds / 1_000_000_000))
        }
    }
}

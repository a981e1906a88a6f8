

/// The statuses a step accepts as success.
public struct StatusExpectation: Sendable {
    /// Accepted statuses and classes; empty means 2xx.
    public var accepted: [RetryCondition]

    /// Creates an expectation; with no conditions, 2xx is accepted.
    public init(_ accepted: [RetryCondition] = []) {
        self.accepted = accepted
    }

    /// Whether `status` counts as success.
    public func accepts(_ status: Int) -> Bool {
        accepted.isEmpty ? (200...299).contains(status) : accepted.contains { $0.matches(status: status) }
    }

    /// `2xx`, or the list such as `200, 404, 3xx`.
    public var description: String {
        guard !accepted.isEmpty else { return "2xx" }
        return accepted.compactMap { condition -> String? in
            switch condition {
            case .status(let s): return String(s)
            case .statusClass(let c): return "\(c)xx"
            case .network, .timeout: return nil
            }
        }.joined(separator: ", ")
    }
}

/// What ``TriggerStore/recordPoll(key:items:keepAtMost:now:)`` did with one new item.
public struct PollOutcome: Sendable, Hashable {
    /// The new item's key.
    public var key: String
    /// The run created for it (or the earlier one with its idempotency key), nil when the item had no run.
    public var result: CreateRunResult?

    /// Creates a value; stores create these, callers rarely need to.
    public init(key: String, result: CreateRunResult?) {
        self.key = key
        self.result = result
    }
}

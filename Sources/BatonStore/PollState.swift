import Foundation

/// The stored state of one poll trigger.
public struct PollState: Sendable, Hashable {
    /// The caller's key for the trigger.
    public var key: String
    /// When the trigger's first poll was recorded (items seen then are the baseline).
    public var initializedAt: Date
    /// When the trigger's latest poll was recorded.
    public var lastPolledAt: Date
    /// How many item keys the store remembers as seen for the trigger.
    public var seenCount: Int

    /// Creates a value; stores create these, callers rarely need to.
    public init(key: String, initializedAt: Date, lastPolledAt: Date, seenCount: Int) {
        self.key = key
        self.initializedAt = initializedAt
        self.lastPolledAt = lastPolledAt
        self.seenCount = seenCount
    }
}

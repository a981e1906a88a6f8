import Foundation

/// The stored state of one schedule trigger: the last slot it fired for.
public struct ScheduleState: Sendable, Hashable {
    /// The caller's key for the trigger, e.g. `crosspost#0`.
    public var key: String
    /// The last time slot the trigger fired for (the cron time, not the wall-clock time it ran).
    public var lastSlot: Date
    /// When the trigger is due next, as computed by whoever fired it; nil when it never fires again.
    public var nextFireAt: Date?
    /// When the state last changed.
    public var updatedAt: Date

    /// Creates a value; stores create these, callers rarely need to.
    public init(key: String, lastSlot: Date, nextFireAt: Date?, updatedAt: Date) {
        self.key = key
        self.lastSlot = lastSlot
        self.nextFireAt = nextFireAt
        self.updatedAt = updatedAt
    }
}

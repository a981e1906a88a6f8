import Foundation

/// What a schedule should do when the scheduler wakes: the slots to fire now, how many it
/// skips, and when to wake next. See ``CronExpression/dueSlots(lastSlot:since:now:in:catchUp:cap:grace:)``.
public struct ScheduleSlots: Sendable, Equatable {
    /// The slots to start runs for, oldest first; each is the schedule time the run records.
    public var fire: [Date]
    /// How many due slots are not fired; a lower bound after very long downtime (see
    /// ``CronExpression/dueSlots(lastSlot:since:now:in:catchUp:cap:grace:)``).
    public var missed: Int
    /// The first slot strictly after now, or nil when the expression never fires again.
    public var next: Date?

    /// Slots to fire, the count skipped, and the next slot.
    public init(fire: [Date], missed: Int, next: Date?) {
        self.fire = fire
        self.missed = missed
        self.next = next
    }
}

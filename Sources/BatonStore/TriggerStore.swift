import Foundation

/// The durable state of `baton serve`'s triggers, kept in the same database as the runs it
/// starts: server settings, schedule slots, poll cursors and event subscriptions.
///
/// Every method that creates runs does so in the same transaction as the trigger state it
/// records, so a crash never fires a slot twice nor loses a poll item, and several processes
/// sharing one database never start the same run twice. Time always comes from the caller.
public protocol TriggerStore: Sendable {
    /// A server setting (the API token, a signing key), or nil.
    func setting(_ key: String) async throws -> String?
    /// Stores `value` under `key` unless a value is already there; returns the value now stored. Atomic across processes.
    func insertSettingIfAbsent(_ key: String, value: String, now: Date) async throws -> String

    /// The state of one schedule trigger (key chosen by the caller, e.g. "workflow-name#0"), or nil before it first fired.
    func scheduleState(key: String) async throws -> ScheduleState?
    /// Compare-and-set: when the schedule's stored `lastSlot` equals `expected` (nil: no row yet), records `lastSlot`
    /// and `nextFireAt` and creates `runs` (same semantics as createRun, idempotency keys included), all in ONE
    /// transaction; returns their results in order. Returns nil, creating nothing, when the stored lastSlot differs
    /// (another process fired first).
    func advanceSchedule(
        key: String, expected: Date?, lastSlot: Date, nextFireAt: Date?, runs: [NewRun], now: Date
    ) async throws -> [CreateRunResult]?
    /// Deletes the state of schedules whose key is not in `keep` and starts with `prefix` (a removed trigger), returns how many.
    func forgetSchedules(prefix: String, keep: Set<String>) async throws -> Int

    /// The state of one poll trigger, or nil before its first recorded poll.
    func pollState(key: String) async throws -> PollState?
    /// Records one poll's items in ONE transaction: each item whose `key` was not seen before for this trigger is
    /// inserted as seen and, when its `run` is non-nil, its run is created (createRun semantics). Marks the trigger as
    /// polled (initializedAt set on first call, lastPolledAt = now). Then keeps at most `keepAtMost` seen keys for the
    /// trigger, dropping the oldest-seen first. Returns one outcome per NEW item, in input order. Items repeated within
    /// one call count once (first wins).
    ///
    /// "Oldest-seen" means least recently seen: an item already known is marked seen again by every poll that
    /// returns it, so an item still in the feed is never forgotten before items that left it. Choose `keepAtMost`
    /// larger than the most items one poll returns.
    ///
    /// - Throws: ``StoreError/invalidArgument(_:)`` when `keepAtMost` is less than 1.
    func recordPoll(key: String, items: [PollItem], keepAtMost: Int, now: Date) async throws -> [PollOutcome]

    /// Waiting steps subscribed to `event` (oldest first, at most `limit`).
    func eventWaits(event: String, limit: Int) async throws -> [EventWait]
    /// The waiting steps of one run that are subscribed to an event.
    func eventWaits(runID: String) async throws -> [EventWait]
    /// Delivers an event to one waiting step, guarded: only when the step is still `waiting` on `wait.event` and its
    /// run is `waiting` (parked). Stores `payload` (JSON text) as the step's `output`, clears the subscription, and
    /// makes the run claimable now (wake_at = now, also on the step row). Returns false, changing nothing, when the
    /// step no longer waits (already delivered, timed out, cancelled).
    func deliverEvent(_ wait: EventWait, payload: String, now: Date) async throws -> Bool
}

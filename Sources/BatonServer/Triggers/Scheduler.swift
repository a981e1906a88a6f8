import BatonCore
import BatonEngine
import BatonStore
import Foundation
import JSONata
import Logging
import ServiceLifecycle

/// Fires the cron schedules of the served workflows.
///
/// Each schedule's last handled slot is stored; a slot fires by a compare-and-set on it in the
/// same transaction that creates its run, so with several `baton serve` on one database each
/// slot fires once. After downtime, `catch_up` decides what happens to the missed slots.
struct Scheduler: Service {
    let state: ServerState
    /// How late a slot may be and still count as on time (not missed) for `catch_up: none`.
    static let grace: Duration = .seconds(60)
    /// The longest sleep, so that reloaded workflows are noticed.
    static let tick: Duration = .seconds(1)

    func run() async throws {
        var known: [String: ScheduleState] = [:]
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let now = state.clock.now()
            var earliest = now.addingTimeInterval(Self.tick.seconds)
            var due: [(ServedWorkflow, Int, ScheduleTrigger, ScheduleState)] = []
            for served in await state.registry.all() {
                for (index, trigger) in served.workflow.triggers.enumerated() {
                    guard case .schedule(let schedule) = trigger else { continue }
                    let key = served.triggerKey(index)
                    guard let current = await stateOf(key, schedule: schedule, known: &known, now: now) else { continue }
                    if let next = schedule.cron.next(after: current.lastSlot, in: schedule.timeZone) {
                        if next <= now { due.append((served, index, schedule, current)) } else { earliest = min(earliest, next) }
                    }
                }
            }
            if !due.isEmpty {
                let fired = await withTaskGroup(of: (String, ScheduleState?).self) { group in
                    for (served, index, schedule, current) in due {
                        group.addTask { await fire(served, index: index, schedule: schedule, current: current, now: now) }
                    }
                    var results: [(String, ScheduleState?)] = []
                    for await result in group { results.append(result) }
                    return results
                }
                for (key, updated) in fired { known[key] = updated }
                if fired.contains(where: { $0.1 == nil }) {
                    // A failed or lost compare-and-set: read again shortly, without spinning.
                    let clock = state.clock
                    try? await cancelWhenGracefulShutdown { try await clock.sleep(for: .milliseconds(100)) }
                }
                continue
            }
            let wait = earliest.timeIntervalSince(state.clock.now())
            if wait > 0 {
                let clock = state.clock
                try? await cancelWhenGracefulShutdown { try await clock.sleep(for: .seconds(wait)) }
            }
        }
    }

    /// The stored state of a schedule, registering it (fired up to now) when it is new.
    private func stateOf(_ key: String, schedule: ScheduleTrigger, known: inout [String: ScheduleState], now: Date) async -> ScheduleState? {
        if let cached = known[key] { return cached }
        do {
            if let stored = try await state.store.scheduleState(key: key) {
                known[key] = stored
                return stored
            }
            let next = schedule.cron.next(after: now, in: schedule.timeZone)
            _ = try await state.store.advanceSchedule(key: key, expected: nil, lastSlot: now, nextFireAt: next, runs: [], now: now)
            let stored = try await state.store.scheduleState(key: key)
            known[key] = stored
            return stored
        } catch {
            state.logger.error("schedule \(key) cannot be read from the database: \(error)")
            return nil
        }
    }

    /// Fires a schedule's due slots; returns its new state (nil: read it again next time).
    private func fire(_ served: ServedWorkflow, index: Int, schedule: ScheduleTrigger, current: ScheduleState,
                      now: Date) async -> (String, ScheduleState?) {
        let key = served.triggerKey(index)
        let slots = schedule.cron.dueSlots(lastSlot: current.lastSlot, since: current.lastSlot, now: now, in: schedule.timeZone,
                                           catchUp: schedule.catchUp, cap: state.configuration.catchUpCap, grace: Self.grace)
        var fire = slots.fire
        var skipped = 0
        do {
            if !fire.isEmpty, served.workflow.overlap == .skip, try await state.starter.hasActiveRun(served) {
                skipped = fire.count
                fire = []
            }
            let inputs = try RunInputs.resolve(nil, for: served.workflow).serialized()
            let runs = fire.map { slot in
                NewRun(workflowVersionID: served.versionID, triggerKind: .schedule,
                       triggerPayload: JSONValue.object([
                           "kind": "schedule", "scheduled_at": .string(ISO8601Time.format(slot)),
                           "fired_at": .string(ISO8601Time.format(now)), "cron": .string(schedule.cron.source),
                           "timezone": .string(schedule.timeZone.identifier),
                       ]).serialized(),
                       inputs: inputs, idempotencyKey: "schedule:\(index):\(ISO8601Time.format(slot))")
            }
            guard let results = try await state.store.advanceSchedule(key: key, expected: current.lastSlot, lastSlot: now,
                                                                       nextFireAt: slots.next, runs: runs, now: now) else {
                return (key, nil)  // another process fired these slots
            }
            let stored = state.clock.now()
            for (slot, result) in zip(fire, results) where result.isCreated {
                state.starter.created(result.run, workflow: served.name, kind: .schedule)
                state.metrics.scheduleFired(lateness: stored.timeIntervalSince(slot))
            }
            if slots.missed > 0 {
                state.logger.warning("schedule '\(schedule.cron.source)' of workflow '\(served.name)' missed \(slots.missed) slot(s) while Baton was not running (catch_up: \(schedule.catchUp.rawValue))")
            }
            if skipped > 0 {
                state.logger.info("schedule '\(schedule.cron.source)' of workflow '\(served.name)' skipped a slot: a run is still going (overlap: skip)")
            }
            return (key, ScheduleState(key: key, lastSlot: now, nextFireAt: slots.next, updatedAt: now))
        } catch {
            state.logger.error("schedule '\(schedule.cron.source)' of workflow '\(served.name)' could not fire: \(error)")
            return (key, nil)
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}

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
///
/// With many schedules due at the same second (a thousand every-second schedules is the
/// benchmark), the work per wake-up is kept small: the list of schedule triggers is rebuilt only
/// when the served workflows change, each schedule's next fire time is kept rather than
/// recomputed at every wake-up, and the runs' payloads are built in one pass (times formatted
/// once per distinct instant), ``prepareLead`` before the slot, so that at the slot only the
/// writes remain; they go to the store together, where group commit merges them into a few
/// transactions.
struct Scheduler: Service {
    let state: ServerState
    /// How late a slot may be and still count as on time (not missed) for `catch_up: none`.
    static let grace: Duration = .seconds(60)
    /// The longest sleep, so that reloaded workflows are noticed.
    static let tick: Duration = .seconds(1)
    /// How long before a slot its runs are built (a thousand took about 10 ms, 50 ms on a busy machine).
    static let prepareLead: Duration = .milliseconds(50)

    /// One schedule trigger of a served workflow.
    private struct Entry {
        var served: ServedWorkflow
        var index: Int
        var schedule: ScheduleTrigger
        var key: String
    }

    /// A schedule's stored state and, derived from it, its next fire time.
    private struct Tracked {
        var state: ScheduleState
        var next: Date?
    }

    /// The runs one schedule fires at one wake-up, ready to store.
    private struct Firing: Sendable {
        var served: ServedWorkflow
        var key: String
        var schedule: ScheduleTrigger
        /// The stored last slot the compare-and-set expects.
        var expected: Date
        /// The instant the slots were computed for: every slot up to it is handled once stored.
        var handledUpTo: Date
        var slots: [Date]
        var runs: [NewRun]
        var missed: Int
        var nextFireAt: Date?
    }

    func run() async throws {
        var tracked: [String: Tracked] = [:]
        var entries: [Entry] = []
        var generation: Int? = nil
        // Firings built ahead of the next slot, with the generation of the workflows they came from.
        var prepared: (at: Date, generation: Int, firings: [String: Firing])? = nil
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let current = await state.registry.generation
            if current != generation {
                generation = current
                entries = Self.entries(of: await state.registry.all())
                // A reloaded workflow may have changed its cron: derive every next fire time again.
                tracked = tracked.mapValues { Tracked(state: $0.state, next: nil) }
            }
            let now = state.clock.now()
            // New schedules are read or registered together: one by one, a thousand of them took
            // a thousand sequential commits at startup.
            let unknown = entries.filter { tracked[$0.key] == nil }
            if !unknown.isEmpty {
                let registered = await withTaskGroup(of: (String, ScheduleState?).self) { group in
                    for entry in unknown { group.addTask { (entry.key, await register(entry, now: now)) } }
                    return await group.reduce(into: [String: ScheduleState]()) { $0[$1.0] = $1.1 }
                }
                for (key, stored) in registered { tracked[key] = Tracked(state: stored, next: nil) }
            }
            var earliest = now.addingTimeInterval(Self.tick.seconds)
            var due: [(Entry, ScheduleState)] = []
            for entry in entries {
                guard var known = tracked[entry.key] else { continue }
                if known.next == nil {
                    known.next = entry.schedule.cron.next(after: known.state.lastSlot, in: entry.schedule.timeZone)
                    tracked[entry.key] = known
                }
                guard let next = known.next else { continue }
                if next <= now { due.append((entry, known.state)) } else { earliest = min(earliest, next) }
            }
            if !due.isEmpty {
                var firings: [Firing] = []
                var unprepared = due
                // Built ahead for this slot, and nothing changed since: only the writes are left.
                // (A wake-up a second or more late finds more slots due: those are built afresh.)
                if let ahead = prepared, ahead.generation == current, ahead.at <= now, now.timeIntervalSince(ahead.at) < 1 {
                    unprepared = []
                    for (entry, state) in due {
                        if let firing = ahead.firings[entry.key], firing.expected == state.lastSlot {
                            firings.append(firing)
                        } else {
                            unprepared.append((entry, state))
                        }
                    }
                }
                prepared = nil
                firings += prepare(unprepared, now: now)
                let fired = await withTaskGroup(of: (String, ScheduleState?).self) { group in
                    for firing in firings {
                        group.addTask { await commit(firing) }
                    }
                    var results: [(String, ScheduleState?)] = []
                    for await result in group { results.append(result) }
                    return results
                }
                var retry = fired.count < due.count
                for (key, updated) in fired {
                    // The state written holds the next fire time the slots were computed with.
                    tracked[key] = updated.map { Tracked(state: $0, next: $0.nextFireAt) }
                    if updated == nil { retry = true }
                }
                if retry {
                    // A failed or lost compare-and-set: read again shortly, without spinning.
                    let clock = state.clock
                    try? await cancelWhenGracefulShutdown { try await clock.sleep(for: .milliseconds(100)) }
                }
                continue
            }
            let wait = earliest.timeIntervalSince(state.clock.now())
            guard wait > 0 else { continue }
            let clock = state.clock
            if entries.isEmpty || wait <= Self.prepareLead.seconds || prepared?.at == earliest {
                try? await cancelWhenGracefulShutdown { try await clock.sleep(for: .seconds(wait)) }
            } else {
                // Wake a little before the slot to build its runs, then sleep the rest of the way.
                try? await cancelWhenGracefulShutdown { try await clock.sleep(for: .seconds(wait - Self.prepareLead.seconds)) }
                let ahead = entries.compactMap { entry in
                    tracked[entry.key].flatMap { $0.next == earliest ? (entry, $0.state) : nil }
                }
                let firings = prepare(ahead, now: earliest)
                prepared = (earliest, current, Dictionary(firings.map { ($0.key, $0) }) { first, _ in first })
            }
        }
    }

    /// Every schedule trigger of `served`.
    private static func entries(of served: [ServedWorkflow]) -> [Entry] {
        served.flatMap { workflow in
            workflow.workflow.triggers.enumerated().compactMap { index, trigger in
                guard case .schedule(let schedule) = trigger else { return nil }
                return Entry(served: workflow, index: index, schedule: schedule, key: workflow.triggerKey(index))
            }
        }
    }

    /// The stored state of a schedule, registering it (fired up to now) when it is new.
    private func register(_ entry: Entry, now: Date) async -> ScheduleState? {
        do {
            if let stored = try await state.store.scheduleState(key: entry.key) { return stored }
            let next = entry.schedule.cron.next(after: now, in: entry.schedule.timeZone)
            _ = try await state.store.advanceSchedule(key: entry.key, expected: nil, lastSlot: now, nextFireAt: next, runs: [], now: now)
            return try await state.store.scheduleState(key: entry.key)
        } catch {
            state.logger.error("schedule \(entry.key) cannot be read from the database: \(error)")
            return nil
        }
    }

    /// Builds the runs of every due schedule in one pass; a schedule whose inputs cannot be
    /// filled is logged and left out (it is read again after a short pause).
    private func prepare(_ due: [(Entry, ScheduleState)], now: Date) -> [Firing] {
        // Every schedule due at this wake-up shares `now`, and usually its slot: format each once.
        var formatted: [Date: String] = [:]
        func text(_ date: Date) -> String {
            if let text = formatted[date] { return text }
            let text = ISO8601Time.format(date)
            formatted[date] = text
            return text
        }
        // The instant the slots were computed for: the slot itself when built ahead of it.
        let firedAt = JSONValue.string(text(now))
        var inputsByVersion: [Int64: String] = [:]
        var firings: [Firing] = []
        firings.reserveCapacity(due.count)
        for (entry, current) in due {
            let schedule = entry.schedule
            let slots = schedule.cron.dueSlots(lastSlot: current.lastSlot, since: current.lastSlot, now: now, in: schedule.timeZone,
                                               catchUp: schedule.catchUp, cap: state.configuration.catchUpCap, grace: Self.grace)
            let inputs: String
            if let cached = inputsByVersion[entry.served.versionID] {
                inputs = cached
            } else {
                do {
                    inputs = try RunInputs.resolve(nil, for: entry.served.workflow).serialized()
                } catch {
                    state.logger.error("schedule '\(schedule.cron.source)' of workflow '\(entry.served.name)' could not fire: \(error)")
                    continue
                }
                inputsByVersion[entry.served.versionID] = inputs
            }
            let runs = slots.fire.map { slot in
                let slotText = text(slot)
                return NewRun(workflowVersionID: entry.served.versionID, triggerKind: .schedule,
                              triggerPayload: JSONValue.object([
                                  "kind": "schedule", "scheduled_at": .string(slotText), "fired_at": firedAt,
                                  "cron": .string(schedule.cron.source), "timezone": .string(schedule.timeZone.identifier),
                              ]).serialized(),
                              inputs: inputs, idempotencyKey: "schedule:\(entry.index):\(slotText)")
            }
            firings.append(Firing(served: entry.served, key: entry.key, schedule: schedule, expected: current.lastSlot,
                                  handledUpTo: now, slots: slots.fire, runs: runs, missed: slots.missed, nextFireAt: slots.next))
        }
        return firings
    }

    /// Stores one schedule's firing; returns its new state (nil: read it again next time).
    private func commit(_ firing: Firing) async -> (String, ScheduleState?) {
        let now = firing.handledUpTo
        let served = firing.served, schedule = firing.schedule
        var runs = firing.runs
        var skipped = 0
        do {
            if !runs.isEmpty, served.workflow.overlap == .skip, try await state.starter.hasActiveRun(served) {
                skipped = runs.count
                runs = []
            }
            // The runs' created_at is when their write was issued, not when this wake-up began.
            guard let results = try await state.store.advanceSchedule(key: firing.key, expected: firing.expected, lastSlot: now,
                                                                       nextFireAt: firing.nextFireAt, runs: runs,
                                                                       now: state.clock.now()) else {
                return (firing.key, nil)  // another process fired these slots
            }
            let stored = state.clock.now()
            for (slot, result) in zip(firing.slots, results) where result.isCreated {
                state.starter.created(result.run, workflow: served.name, kind: .schedule)
                state.metrics.scheduleFired(lateness: stored.timeIntervalSince(slot))
            }
            if firing.missed > 0 {
                state.logger.warning("schedule '\(schedule.cron.source)' of workflow '\(served.name)' missed \(firing.missed) slot(s) while Baton was not running (catch_up: \(schedule.catchUp.rawValue))")
            }
            if skipped > 0 {
                state.logger.info("schedule '\(schedule.cron.source)' of workflow '\(served.name)' skipped a slot: a run is still going (overlap: skip)")
            }
            return (firing.key, ScheduleState(key: firing.key, lastSlot: now, nextFireAt: firing.nextFireAt, updatedAt: now))
        } catch {
            state.logger.error("schedule '\(schedule.cron.source)' of workflow '\(served.name)' could not fire: \(error)")
            return (firing.key, nil)
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}

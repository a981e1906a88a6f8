import BatonCore
import BatonStore
import Foundation
import JSONata

/// Delivers events to parked `wait_for` steps.
///
/// An event names what it is (`POST /api/events/approval`) or which run it is for (a run's
/// resume URL). Each subscribed step's `match` expression is evaluated against its run's
/// context with `event` bound to the event's body; where it holds, the body is stored as the
/// step's output and the run wakes. Delivery is guarded in the store, so a step receives at
/// most one event however many arrive at once.
public struct EventDelivery: Sendable {
    /// One step an event reached, or did not.
    public struct Delivery: Sendable, Hashable {
        /// The run.
        public var runID: String
        /// The `wait_for` step.
        public var stepID: String
        /// Whether the event was delivered (false: `match` did not hold, or it failed; see `problem`).
        public var delivered: Bool
        /// Why a `match` expression could not be evaluated.
        public var problem: String?
    }

    let dependencies: ExecutorDependencies
    let triggers: any TriggerStore

    /// Creates a deliverer over the executor's dependencies and the store's event subscriptions.
    public init(dependencies: ExecutorDependencies, triggers: any TriggerStore) {
        self.dependencies = dependencies
        self.triggers = triggers
    }

    /// Delivers an event to every step waiting for `event` whose `match` holds (at most `limit` examined).
    public func deliver(event: String, payload: JSONValue, limit: Int = 1000) async throws -> [Delivery] {
        try await deliver(try await triggers.eventWaits(event: event, limit: limit), payload: payload)
    }

    /// Delivers an event to the steps of run `runID` that wait for an event, whatever its name.
    public func deliver(toRun runID: String, payload: JSONValue) async throws -> [Delivery] {
        try await deliver(try await triggers.eventWaits(runID: runID), payload: payload)
    }

    private func deliver(_ waits: [EventWait], payload: JSONValue) async throws -> [Delivery] {
        var deliveries: [Delivery] = []
        let text = dependencies.redactor.redact(payload.serialized())
        for wait in waits {
            var delivery = Delivery(runID: wait.runID, stepID: wait.step.stepID, delivered: false)
            do {
                guard try await matches(wait, payload: payload) else {
                    deliveries.append(delivery)
                    continue
                }
            } catch {
                delivery.problem = "\(error)"
                deliveries.append(delivery)
                continue
            }
            delivery.delivered = try await deliverWhenParked(wait, payload: text)
            deliveries.append(delivery)
        }
        return deliveries
    }

    /// Delivers to a step whose run may be held for a moment by a worker (woken by another
    /// branch's timer, or parking right now): tries again for up to 2 s while the step still
    /// waits for the event, then gives up (the event is then reported as not delivered).
    private func deliverWhenParked(_ wait: EventWait, payload: String) async throws -> Bool {
        for _ in 0..<40 {
            if try await triggers.deliverEvent(wait, payload: payload, now: dependencies.clock.now()) { return true }
            let still = try await triggers.eventWaits(runID: wait.runID).contains { $0.step == wait.step && $0.event == wait.event }
            guard still else { return false }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Whether the waiting step's `match` holds for this event (true when it has none).
    private func matches(_ wait: EventWait, payload: JSONValue) async throws -> Bool {
        guard let run = try await dependencies.store.run(id: wait.runID) else { return false }
        let workflow = try await dependencies.catalog.workflow(version: run.workflowVersionID)
        guard let step = workflow.step(wait.step.stepID), case .waitFor(let spec) = step.action else { return false }
        guard let match = spec.match else { return true }
        let stored = try await dependencies.store.steps(runID: run.id)
        let state = try RunState(run: run, workflow: workflow, environment: dependencies.environment, stored: stored,
                                 resumeURL: dependencies.resumeURL?(run.id))
        guard case .object(var context) = state.context.value() else { return false }
        context["event"] = payload
        return JSONataTruth.isTruthy(try match.evaluate(in: .object(context)))
    }
}

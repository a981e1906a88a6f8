import BatonCore
import BatonEngine
import BatonStore
import Foundation
import JSONata
import Logging
import OrderedCollections
import ServiceLifecycle

/// Polls the APIs of the served workflows' poll triggers and starts one run per new item.
///
/// Each trigger polls in its own child task, every `every`; the seen item keys are stored with
/// the runs they start, in one transaction, so an item starts exactly one run even across
/// restarts. The first poll of a trigger only records what exists, unless `fire_on_start`.
struct Poller: Service {
    let state: ServerState

    func run() async throws {
        await withDiscardingTaskGroup { group in
            var running: [String: Int64] = [:]  // trigger key → version polled
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                for served in await state.registry.all() {
                    for (index, trigger) in served.workflow.triggers.enumerated() {
                        guard case .poll(let poll) = trigger else { continue }
                        let key = served.triggerKey(index)
                        if running[key] == served.versionID { continue }
                        running[key] = served.versionID
                        group.addTask { await loop(served, index: index, poll: poll) }
                    }
                }
                let clock = state.clock
                try? await cancelWhenGracefulShutdown { try await clock.sleep(for: .seconds(1)) }
            }
        }
    }

    /// Polls one trigger until its workflow version stops being served or the server stops.
    private func loop(_ served: ServedWorkflow, index: Int, poll: PollTrigger) async {
        let key = served.triggerKey(index)
        var nextPoll = state.clock.now()
        if let stored = try? await state.store.pollState(key: key) {
            nextPoll = max(nextPoll, stored.lastPolledAt.addingTimeInterval(poll.every.seconds))
        }
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            guard await state.registry.workflow(named: served.name)?.versionID == served.versionID else { return }
            let wait = nextPoll.timeIntervalSince(state.clock.now())
            if wait > 0 {
                let clock = state.clock
                // Wake at least every second to notice a reloaded workflow.
                try? await cancelWhenGracefulShutdown { try await clock.sleep(for: .seconds(min(wait, 1))) }
                continue
            }
            await pollOnce(served, index: index, poll: poll)
            nextPoll = state.clock.now().addingTimeInterval(poll.every.seconds)
        }
    }

    /// One poll: the request, the items, their keys, and a run for each new one.
    func pollOnce(_ served: ServedWorkflow, index: Int, poll: PollTrigger) async {
        let workflow = served.workflow
        let key = served.triggerKey(index)
        let now = state.clock.now()
        do {
            let previous = try await state.store.pollState(key: key)
            let (environment, settings) = try state.settingsContext(workflow)
            guard case .object(var context) = settings else { return }
            context["inputs"] = try RunInputs.resolve(nil, for: workflow)
            context["run"] = .object(["workflow": .string(workflow.name)])
            context["trigger"] = .object(["kind": "poll", "last_polled_at": previous.map { .string(ISO8601Time.format($0.lastPolledAt)) } ?? .null])
            let response = await state.http.poll(poll.request, trigger: poll, context: .object(context), workflow: workflow,
                                                 secrets: environment.secretValues, timeout: .seconds(30),
                                                 requestKey: "baton-poll-\(key)-\(Int64(now.timeIntervalSince1970 * 1000))")
            let output: JSONValue
            switch response.result {
            case .success(let value): output = value
            case .failure(let failure):
                state.metrics.poll(workflow: workflow.name, outcome: "error")
                state.logger.warning("poll of workflow '\(workflow.name)' failed, will try again in \(DurationText.format(poll.every)): \(failure.message)")
                return
            }
            context["response"] = output
            let items: [JSONValue]
            switch try poll.items.evaluate(in: .object(context)) {
            case nil, .null?: items = []
            case .array(let array)?: items = array
            case let single?: items = [single]
            }
            context["response"] = nil
            let fires = previous != nil || poll.fireOnStart
            let inputs = try RunInputs.resolve(nil, for: workflow).serialized()
            var pollItems: [PollItem] = []
            for item in items {
                context["item"] = item
                guard let value = try poll.key.evaluate(in: .object(context)), value != .null else {
                    state.logger.warning("poll of workflow '\(workflow.name)': an item has no key (\(poll.key.singleExpression?.source ?? "key")); it is skipped")
                    continue
                }
                let itemKey = Template.text(of: value)
                let run = fires ? NewRun(workflowVersionID: served.versionID, triggerKind: .poll,
                                         triggerPayload: JSONValue.object([
                                             "kind": "poll", "item": item, "key": .string(itemKey),
                                             "polled_at": .string(ISO8601Time.format(now)),
                                         ]).serialized(),
                                         inputs: inputs, idempotencyKey: "poll:\(index):\(itemKey)") : nil
                pollItems.append(PollItem(key: itemKey, run: run))
            }
            let outcomes = try await state.store.recordPoll(key: key, items: pollItems, keepAtMost: state.configuration.pollMemory,
                                                            now: now)
            var started = 0
            for outcome in outcomes {
                if let result = outcome.result, result.isCreated {
                    started += 1
                    state.starter.created(result.run, workflow: workflow.name, kind: .poll)
                }
            }
            state.metrics.poll(workflow: workflow.name, outcome: "ok")
            if previous == nil, !fires, !outcomes.isEmpty {
                state.logger.info("first poll of workflow '\(workflow.name)' recorded \(outcomes.count) existing item(s) without starting runs (fire_on_start: false)")
            }
        } catch {
            state.metrics.poll(workflow: workflow.name, outcome: "error")
            state.logger.warning("poll of workflow '\(workflow.name)' failed: \(error)")
        }
    }
}

import BatonCore
import BatonEngine
import BatonStore
import Foundation
import Hummingbird
import JSONata
import OrderedCollections

/// `GET /api/workflows`: each served workflow with its version, triggers, next fire time and
/// how many of its runs of the last 24 hours are in each status.
struct WorkflowsEndpoint: Sendable {
    let state: ServerState

    /// How far back the counts look.
    static let countWindow: TimeInterval = 24 * 3600

    func list() async -> Response {
        let now = state.clock.now()
        let counts: [String: [RunStatus: Int]]
        do {
            counts = try await state.store.runCounts(since: now.addingTimeInterval(-Self.countWindow))
        } catch {
            return APIError.unavailable("counting runs", error)
        }
        let list = await state.registry.all().map { served in Self.json(served, counts: counts[served.name] ?? [:], now: now) }
        return JSONResponse.make(.ok, ["workflows": .array(list)])
    }

    static func json(_ served: ServedWorkflow, counts: [RunStatus: Int], now: Date) -> JSONValue {
        var nextFire: Date? = nil
        let triggers = served.workflow.triggers.map { trigger -> JSONValue in
            var object: OrderedDictionary<String, JSONValue> = ["kind": .string(trigger.kind)]
            switch trigger {
            case .webhook(let webhook):
                object["method"] = .string(webhook.method)
                object["path"] = .string(webhook.path)
            case .schedule(let schedule):
                let next = schedule.cron.next(after: now, in: schedule.timeZone)
                if let next, nextFire.map({ next < $0 }) ?? true { nextFire = next }
                object["cron"] = .string(schedule.cron.source)
                object["timezone"] = .string(schedule.timeZone.identifier)
                object["next_fire_at"] = next.map { .string(ISO8601Time.format($0)) } ?? .null
            case .poll(let poll):
                object["every"] = .string(DurationText.format(poll.every))
            case .manual:
                break
            }
            return .object(object)
        }
        var byStatus: OrderedDictionary<String, JSONValue> = ["total": .number(Double(counts.values.reduce(0, +)))]
        for status in RunStatus.allCases { byStatus[status.rawValue] = .number(Double(counts[status] ?? 0)) }
        return .object([
            "name": .string(served.name), "version": .number(Double(served.versionID)), "file": .string(served.file),
            "triggers": .array(triggers), "next_fire_at": nextFire.map { .string(ISO8601Time.format($0)) } ?? .null,
            "runs_last_24h": .object(byStatus),
        ])
    }
}

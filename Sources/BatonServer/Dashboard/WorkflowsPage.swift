import BatonCore
import BatonStore
import Foundation
import Hummingbird

/// `GET /`: the served workflows, each with its version, its triggers and how its runs of the
/// last 24 hours ended, every count a link to those runs.
struct WorkflowsPage: Sendable {
    let state: ServerState

    /// The page.
    func render(session: DashboardSessions.Session) async -> Response {
        let served = await state.registry.all()
        let now = state.clock.now()
        let since = now.addingTimeInterval(-24 * 3600)
        let counts: [String: [RunStatus: Int]]
        do {
            counts = try await state.store.runCounts(since: since)
        } catch {
            return DashboardResponse.page(.serviceUnavailable, DashboardLayout.document(
                title: "Workflows", session: session, section: .workflows,
                content: "<div class=\"problem\" role=\"alert\">The database could not be read: \(String(describing: error))</div>"))
        }
        let rows = served.map { row($0, counts: counts[$0.name] ?? [:], now: now) }
        let table: HTML = rows.isEmpty
            ? "<div class=\"card\"><p>No workflow is served. Put workflow files in <code>\(state.configuration.workflowsDirectory)</code>; they load within seconds.</p></div>"
            : """
              <table>
              <thead><tr><th>Workflow</th><th>Version</th><th>Triggers</th><th>Runs, last 24 h</th></tr></thead>
              <tbody>\(rows)</tbody>
              </table>
              """
        let content: HTML = """
            <h1>Workflows</h1>
            \(table)
            <p class="muted">Served from <code>\(state.configuration.workflowsDirectory)</code>. Counts are of runs created since \(DashboardText.time(since)).</p>
            """
        return DashboardResponse.page(.ok, DashboardLayout.document(title: "Workflows", session: session, section: .workflows,
                                                                    content: content))
    }

    private func row(_ served: ServedWorkflow, counts: [RunStatus: Int], now: Date) -> HTML {
        let name = served.name
        let triggers = served.workflow.triggers.map { trigger -> HTML in "<li>\(Self.describe(trigger, now: now))</li>" }
        let triggerList: HTML = triggers.isEmpty ? "<span class=\"muted\">manual starts only</span>"
            : "<ul class=\"plain\">\(triggers)</ul>"
        let links = RunStatus.allCases.compactMap { status -> HTML? in
            guard let count = counts[status], count > 0 else { return nil }
            let href = DashboardURL.make("/runs", [("workflow", name), ("status", status.rawValue), ("since", "24h")])
            return "<a class=\"\(status.rawValue)\" href=\"\(href)\">\(count) \(status.rawValue)</a>"
        }
        let countCell: HTML = links.isEmpty ? "<span class=\"muted\">no runs</span>" : "<div class=\"counts\">\(links)</div>"
        let description: HTML = served.workflow.description.map { "<div class=\"muted\">\($0)</div>" } ?? .empty
        return """
            <tr>
            <td><a href="\(DashboardURL.make("/runs", [("workflow", name)]))"><strong>\(name)</strong></a>\(description)</td>
            <td>\(Int(served.versionID))<div class="muted">served since \(DashboardText.time(served.loadedAt))</div></td>
            <td>\(triggerList)</td>
            <td>\(countCell)</td>
            </tr>
            """
    }

    /// One trigger in words, with a schedule's next fire time.
    static func describe(_ trigger: Trigger, now: Date) -> String {
        switch trigger {
        case .webhook(let webhook): return "webhook \(webhook.method) \(webhook.path)"
        case .schedule(let schedule):
            let next = schedule.cron.next(after: now, in: schedule.timeZone).map(DashboardText.time) ?? "never"
            return "schedule \(schedule.cron.source) (\(schedule.timeZone.identifier)), next \(next)"
        case .poll(let poll): return "poll every \(DurationText.format(poll.every))"
        case .manual: return "manual"
        }
    }
}

import BatonStore
import Foundation
import Hummingbird

/// `GET /runs`: runs newest first, narrowed by the filters of a GET form, a page at a time
/// with an "Older runs" link (cursor pagination, so a page stays right while runs arrive).
struct RunsPage: Sendable {
    let state: ServerState
    /// Runs per page.
    static let pageSize = 50

    /// The page for the request's query.
    func render(_ request: Request, session: DashboardSessions.Session) async -> Response {
        let query = RunListQuery(DashboardForm.query(request), now: state.clock.now())
        let names = await state.registry.all().map(\.name)
        var content: HTML = "<h1>Runs</h1>" + form(query, workflows: names)
        guard query.problems.isEmpty else {
            content = content + DashboardLayout.problems(query.problems)
            return DashboardResponse.page(.badRequest, document(content, session))
        }
        let page: RunPage
        do {
            page = try await state.store.listRuns(filter: query.filter, limit: Self.pageSize, after: query.cursor)
        } catch {
            content = content + "<div class=\"problem\" role=\"alert\">The runs could not be read: \(String(describing: error))</div>"
            return DashboardResponse.page(.serviceUnavailable, document(content, session))
        }
        content = content + table(page.runs, filtered: query.isFiltered)
        let newer: HTML = query.cursor == nil ? "<span></span>" : "<a href=\"\(query.url(cursor: nil))\">← Newest runs</a>"
        let older: HTML = page.next.map { "<a rel=\"next\" href=\"\(query.url(cursor: $0))\">Older runs →</a>" } ?? "<span></span>"
        content = content + "<div class=\"pager\">\(newer)\(older)</div>"
        return DashboardResponse.page(.ok, document(content, session))
    }

    private func document(_ content: HTML, _ session: DashboardSessions.Session) -> HTML {
        DashboardLayout.document(title: "Runs", session: session, section: .runs, content: content)
    }

    private func form(_ query: RunListQuery, workflows: [String]) -> HTML {
        let names = workflows.map { name -> HTML in "<option value=\"\(name)\"></option>" }
        let statuses = RunStatus.allCases.map(\.rawValue)
        let triggers = TriggerKind.allCases.map(\.rawValue)
        return """
            <form class="filters card" method="get" action="/runs">
            <label>Workflow <input name="workflow" list="workflow-names" value="\(query.workflow)" placeholder="any"></label>
            <datalist id="workflow-names">\(names)</datalist>
            <label>Status \(select("status", statuses, selected: query.status))</label>
            <label>Trigger \(select("trigger", triggers, selected: query.trigger))</label>
            <label>Since <input name="since" value="\(query.since)" placeholder="24h or 2026-05-01"></label>
            <label>Until <input name="until" value="\(query.until)" placeholder="1h or 2026-05-02"></label>
            <label>Text <input name="q" value="\(query.q)" placeholder="in payload or error"></label>
            <div><button type="submit">Filter</button> <a href="/runs">Clear</a></div>
            </form>
            """
    }

    private func select(_ name: String, _ options: [String], selected: String) -> HTML {
        // A value typed into the URL (`failed,cancelled`) stays selected rather than silently dropped.
        let choices = selected.isEmpty || options.contains(selected) ? options : options + [selected]
        let items = choices.map { option -> HTML in
            option == selected ? "<option value=\"\(option)\" selected>\(option)</option>" : "<option value=\"\(option)\">\(option)</option>"
        }
        return "<select name=\"\(name)\"><option value=\"\">any</option>\(items)</select>"
    }

    private func table(_ runs: [Run], filtered: Bool) -> HTML {
        guard !runs.isEmpty else {
            return "<div class=\"card\"><p>\(filtered ? "No run matches these filters." : "No runs yet.")</p></div>"
        }
        let rows = runs.map { run -> HTML in
            let end = run.finishedAt ?? (run.status.isTerminal ? nil : state.clock.now())
            let duration = (run.startedAt ?? run.createdAt).distance(to: end ?? run.createdAt)
            let error: HTML = run.error.map { "<span title=\"\(ErrorView.message($0))\">\(DashboardText.excerpt(ErrorView.message($0)))</span>" } ?? .empty
            return """
                <tr>
                <td>\(DashboardLayout.status(run.status.rawValue))</td>
                <td><a class="mono" href="\(DashboardURL.run(run.id))">\(run.id)</a></td>
                <td>\(run.workflowName)</td>
                <td>\(run.triggerKind.rawValue)</td>
                <td class="nowrap">\(DashboardText.time(run.createdAt))</td>
                <td class="nowrap">\(end == nil ? "" : DashboardText.duration(duration))</td>
                <td>\(error)</td>
                </tr>
                """
        }
        return """
            <table>
            <thead><tr><th>Status</th><th>Run</th><th>Workflow</th><th>Trigger</th><th>Created (UTC)</th><th>Duration</th><th>Error</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            """
    }
}

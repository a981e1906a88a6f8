import BatonStore
import Foundation
import Hummingbird

/// `GET /runs/ID`: one run as a person auditing it needs it: what started it, a timeline of
/// its steps and attempts, every step's input, output and error, and the retry, replay and
/// cancel buttons.
struct RunDetailPage: Sendable {
    let state: ServerState

    /// A line at the top of the page after an action, from a fixed set (the query cannot inject text).
    struct Notice: Sendable {
        var text: String

        /// The notice a redirect after an action asked for, if any.
        init?(query request: Request) {
            let query = DashboardForm.query(request)
            // Only something shaped like a run id is echoed, so a crafted link cannot put words on the page.
            let from = query["from"].flatMap { id -> String? in
                let isRunID = id.count <= 64 && !id.isEmpty
                    && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
                return isRunID ? "run \(id)" : nil
            } ?? "the earlier run"
            switch query["done"] {
            case "cancelled": text = "The run was cancelled."
            case "retried": text = "This run retries \(from): its failed steps run again, the steps that succeeded keep their outputs."
            case "replayed": text = "This run replays \(from) from the start, with the same trigger payload and inputs."
            default: return nil
            }
        }
    }

    /// The page of run `id`, with `notice` or `problem` above it.
    func render(id: String, session: DashboardSessions.Session, notice: Notice?, problem: String? = nil,
                status: HTTPResponse.Status = .ok) async -> Response {
        let run: Run, steps: [StepExecution], attempts: [Attempt], lineage: RunLineage
        do {
            guard let found = try await state.store.run(id: id) else {
                return DashboardResponse.page(.notFound, DashboardLayout.document(title: "Not found", session: session, section: .runs,
                    content: "<h1>No such run</h1><div class=\"card\"><p>There is no run with id <code>\(id)</code>. It may have been pruned. <a href=\"/runs\">All runs</a></p></div>"))
            }
            run = found
            steps = try await state.store.steps(runID: id)
            attempts = try await state.store.attempts(runID: id)
            lineage = try await state.store.lineage(runID: id)
        } catch {
            return DashboardResponse.page(.serviceUnavailable, DashboardLayout.document(title: "Run", session: session, section: .runs,
                content: "<div class=\"problem\" role=\"alert\">The run could not be read: \(String(describing: error))</div>"))
        }
        let served = await state.registry.workflow(named: run.workflowName)
        // Steps the version declares but the store has no execution of: a failed run stops before them.
        let declared = (try? await state.dependencies.catalog.workflow(version: run.workflowVersionID))?.steps.map(\.id) ?? []
        let recorded = Set(steps.map(\.key.stepID))
        let unstarted = declared.filter { !recorded.contains($0) }
        let now = state.clock.now()
        let banner: HTML = problem.map { "<div class=\"problem\" role=\"alert\">\($0)</div>" }
            ?? notice.map { "<div class=\"notice\" role=\"status\">\($0.text)</div>" } ?? .empty
        let timeline = RunTimeline(run: run, steps: steps, attempts: attempts, unstarted: unstarted, now: now)
        var stepCards: HTML = steps.isEmpty ? "<div class=\"card muted\">No step has started yet.</div>" : .empty
        for step in steps {
            stepCards = stepCards + RunStepView.render(step, attempts: attempts.filter { $0.key == step.key }, origin: timeline.origin)
        }
        if !unstarted.isEmpty {
            let names = unstarted.map { id -> HTML in "<code>\(id)</code>" }
            stepCards = stepCards + """
                <div class="card muted">\(run.status.isTerminal ? "Did not run" : "Not started yet"): \(HTML(joining: names, separator: ", "))</div>
                """
        }
        let content: HTML = """
            <h1>Run <code>\(run.id)</code> \(DashboardLayout.status(run.status.rawValue))\(actions(run, session: session))</h1>
            \(banner)
            \(summary(run, steps: steps, attempts: attempts, unstarted: unstarted.count, lineage: lineage, currentVersion: served?.versionID, now: now))
            <h2>Timeline</h2>
            \(RunTimelineView.render(timeline))
            <h2>Trigger</h2>
            <div class="card">
            \(JSONView.block("Trigger payload (\(run.triggerKind.rawValue))", run.triggerPayload, open: true))
            \(JSONView.block("Inputs", run.inputs))
            \(JSONView.block("Output", run.output, open: run.output != nil))
            </div>
            <h2>Steps</h2>
            \(stepCards)
            """
        return DashboardResponse.page(status, DashboardLayout.document(title: "Run \(run.id)", session: session, section: .runs,
                                                                      content: content))
    }

    private func summary(_ run: Run, steps: [StepExecution], attempts: [Attempt], unstarted: Int, lineage: RunLineage,
                         currentVersion: Int64?, now: Date) -> HTML {
        let version: HTML = switch currentVersion {
        case run.workflowVersionID?: "version \(Int(run.workflowVersionID)) (served now)"
        case let current?: "version \(Int(run.workflowVersionID)) (now serving \(Int(current)))"
        case nil: "version \(Int(run.workflowVersionID)) (workflow no longer served)"
        }
        let start = run.startedAt ?? run.createdAt
        let duration: HTML = run.finishedAt.map { "\(DashboardText.duration(start.distance(to: $0)))" }
            ?? (run.status.isTerminal ? "—" : "\(DashboardText.duration(start.distance(to: now))) so far")
        let error: HTML = run.error.map(ErrorView.render) ?? .empty
        let key: HTML = run.idempotencyKey.map { "<dt>Idempotency key</dt><dd class=\"mono\">\($0)</dd>" } ?? .empty
        return """
            <div class="card">
            <dl class="facts">
            <dt>Workflow</dt><dd><a href="\(DashboardURL.make("/runs", [("workflow", run.workflowName)]))">\(run.workflowName)</a> · \(version)</dd>
            <dt>Trigger</dt><dd>\(run.triggerKind.rawValue)</dd>
            <dt>Created</dt><dd>\(DashboardText.time(run.createdAt))</dd>
            <dt>Started</dt><dd>\(run.startedAt.map(DashboardText.time) ?? "not yet")</dd>
            <dt>Finished</dt><dd>\(run.finishedAt.map(DashboardText.time) ?? "not yet")</dd>
            <dt>Duration</dt><dd>\(duration)</dd>
            <dt>Steps</dt><dd>\(Self.stepCounts(steps, unstarted: unstarted, finished: run.status.isTerminal))</dd>
            <dt>Attempts</dt><dd>\(DashboardText.count(attempts.count, "attempt"))</dd>
            \(key)
            \(Self.lineage(lineage))
            </dl>
            \(error)
            </div>
            """
    }

    /// `1 succeeded, 1 failed, 1 did not run`: every step execution by status, in a fixed order.
    private static func stepCounts(_ steps: [StepExecution], unstarted: Int, finished: Bool) -> String {
        var parts = StepStatus.allCases.compactMap { status -> String? in
            let count = steps.filter { $0.status == status }.count
            return count == 0 ? nil : "\(count) \(status.rawValue)"
        }
        if unstarted > 0 { parts.append("\(unstarted) \(finished ? "did not run" : "not started")") }
        return parts.isEmpty ? "none yet" : parts.joined(separator: ", ")
    }

    /// The run this one retries or replays, and the runs made from this one, as links.
    private static func lineage(_ lineage: RunLineage) -> HTML {
        func link(_ id: String) -> HTML { "<a class=\"mono\" href=\"\(DashboardURL.run(id))\">\(id)</a>" }
        var parts: [HTML] = []
        if let origin = lineage.origin {
            parts.append("<dt>Made from</dt><dd>\(origin.kind.rawValue) of \(link(origin.originalRunID))</dd>")
        }
        if !lineage.derived.isEmpty {
            let items = lineage.derived.map { made -> HTML in "<div>\(made.kind.rawValue): \(link(made.runID))</div>" }
            parts.append("<dt>Made from it</dt><dd>\(items)</dd>")
        }
        return HTML(joining: parts)
    }

    /// Retry (a failed or cancelled run), replay (any run) and cancel (an unfinished run), as POST
    /// forms with the session's CSRF token; the ones that do not apply are shown disabled.
    private func actions(_ run: Run, session: DashboardSessions.Session) -> HTML {
        func button(_ action: String, _ label: String, enabled: Bool, why: String, style: String) -> HTML {
            let disabled: HTML = enabled ? "" : " disabled"
            return """
                <form method="post" action="\(DashboardURL.run(run.id))/\(action)">\(DashboardLayout.csrfField(session))<button \
                type="submit" class="\(style)" title="\(why)"\(disabled)>\(label)</button></form>
                """
        }
        return """
            <span class="actions">\
            \(button("retry", "Retry", enabled: run.status == .failed || run.status == .cancelled, why: "Run the failed steps again, keeping what succeeded", style: "primary"))\
            \(button("replay", "Replay", enabled: true, why: "Start a new run with the same trigger payload and inputs", style: "secondary"))\
            \(button("cancel", "Cancel", enabled: !run.status.isTerminal, why: "Stop this run", style: "danger"))\
            </span>
            """
    }
}

import BatonStore
import Foundation

/// One step execution of a run page: its status, attempts and duration at a glance, its
/// error, its input and output as foldable JSON, and a table of its attempts.
enum RunStepView {
    /// The step's card; `origin` is the timeline's start, for attempt offsets.
    static func render(_ step: StepExecution, attempts: [Attempt], origin: Date) -> HTML {
        let count = max(step.attemptCount, attempts.count)
        // Steps that make no requests (transform, wait) record no attempts: say nothing then.
        let attemptText = count == 0 ? "" : DashboardText.count(count, "attempt")
        let duration: HTML = switch (step.startedAt, step.finishedAt) {
        case let (start?, end?): "\(count == 0 ? "" : " · ")\(DashboardText.duration(start.distance(to: end)))"
        default: .empty
        }
        let error: HTML = step.error.map(ErrorView.render) ?? .empty
        let waiting: HTML = step.awaitingEvent.map { "<p class=\"muted\">Waiting for event <code>\($0)</code></p>" } ?? .empty
        return """
            <section class="card step \(step.status.rawValue)" id="step-\(step.key.description)">
            <h3><span class="mono">\(step.key.description)</span> \(DashboardLayout.status(step.status.rawValue)) \
            <span class="muted attempts">\(attemptText)\(duration)</span></h3>
            \(error)
            \(waiting)
            \(step.input == nil ? .empty : JSONView.block("Input", step.input))
            \(step.output == nil ? .empty : JSONView.block("Output", step.output, open: step.status == .succeeded))
            \(table(attempts, origin: origin))
            </section>
            """
    }

    /// Every attempt with its start, duration, HTTP status and error; the request summary and
    /// the response excerpt fold open beneath.
    private static func table(_ attempts: [Attempt], origin: Date) -> HTML {
        guard !attempts.isEmpty else { return .empty }
        let rows = attempts.map { attempt -> HTML in
            let value = attempt.attempt
            let status: HTML = value.responseStatus.map { "\($0)" } ?? "<span class=\"muted\">none</span>"
            let duration = value.duration.map { DashboardText.duration(DashboardText.seconds($0)) } ?? "unfinished"
            let error: HTML = value.error.map { "<pre class=\"error\">\($0)</pre>" } ?? "<span class=\"muted\">none</span>"
            var details: [HTML] = []
            if value.requestSummary != nil { details.append(JSONView.block("Request", value.requestSummary)) }
            if value.responseBody != nil { details.append(JSONView.block("Response body", value.responseBody)) }
            return """
                <tr class="attempt"><td>\(value.number)</td><td>+\(DashboardText.duration(origin.distance(to: value.startedAt)))</td>\
                <td>\(duration)</td><td>\(status)</td><td>\(error)\(details)</td></tr>
                """
        }
        return """
            <table>
            <thead><tr><th>Attempt</th><th>Start</th><th>Duration</th><th>HTTP</th><th>Error, request and response</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            """
    }
}

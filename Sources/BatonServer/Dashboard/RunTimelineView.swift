import Foundation

/// Draws a ``RunTimeline`` as rows of horizontal bars: absolutely positioned boxes whose left
/// edge and width are percentages of the run, coloured by status. Plain HTML and CSS, so it
/// looks the same with script off and prints.
enum RunTimelineView {
    /// The timeline, with a scale and a legend.
    static func render(_ timeline: RunTimeline) -> HTML {
        guard !timeline.bars.isEmpty else {
            return "<div class=\"timeline muted\">No step has started yet.</div>"
        }
        let rows = timeline.bars.map(row)
        let statuses = ["succeeded", "failed", "running", "waiting", "cancelled"]
            .filter { status in timeline.bars.contains { $0.status == status } }
            .map { status -> HTML in "<span class=\"\(status)\">\(status)</span>" }
        return """
            <div class="timeline" role="figure" aria-label="Timeline of the run's steps and attempts">
            <div class="axis"><span>Step / attempt</span><div class="scale"><span>0</span><span>\(DashboardText.duration(timeline.total / 2))</span><span>\(DashboardText.duration(timeline.total))</span></div><span>start · duration</span></div>
            \(rows)
            <div class="legend">\(statuses)</div>
            </div>
            """
    }

    private static func row(_ bar: RunTimeline.Bar) -> HTML {
        let kind: HTML = bar.kind == .step ? "step" : "attempt"
        let note = bar.note.map { ": " + $0 } ?? ""
        guard let offset = bar.offset else {
            return """
                <div class="row \(kind) \(bar.status)"><div class="label">\(bar.label)</div><div class="track"></div>\
                <div class="time">\(bar.status == "skipped" ? "skipped" : bar.status == "not-run" ? "did not run" : "not started")</div></div>
                """
        }
        // Two decimals of a percent place a bar to a few pixels on any screen.
        let style = String(format: "left:%.2f%%;width:%.2f%%", bar.left, bar.width)
        let title = "\(bar.label) \(bar.status)\(note), +\(DashboardText.duration(offset)), \(DashboardText.duration(bar.duration))"
        return """
            <div class="row \(kind) \(bar.status)"><div class="label" title="\(bar.label)">\(bar.label)</div>\
            <div class="track"><div class="bar \(bar.status)" style="\(style)" title="\(title)"></div></div>\
            <div class="time">+\(DashboardText.duration(offset)) · \(DashboardText.duration(bar.duration))</div></div>
            """
    }
}

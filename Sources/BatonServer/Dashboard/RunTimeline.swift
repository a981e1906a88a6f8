import BatonStore
import Foundation

/// Where the bars of a run's timeline go: one per step execution and one per attempt, each
/// placed by its start offset and sized by its duration as percentages of the whole run.
///
/// Pure geometry, so that it can be checked without a browser; ``RunDetailPage`` draws it.
struct RunTimeline: Sendable, Equatable {
    /// One bar.
    struct Bar: Sendable, Equatable {
        enum Kind: Sendable, Equatable { case step, attempt }
        var kind: Kind
        /// `fetch`, `fetch[2]`, or `attempt 3` under its step.
        var label: String
        /// A status name, also the bar's CSS class.
        var status: String
        /// Seconds from the start of the run; `nil` when it never started (no bar then).
        var offset: TimeInterval?
        /// Seconds it took (until now, while it runs).
        var duration: TimeInterval
        /// Left edge, 0...100.
        var left: Double
        /// Width, at least ``minimumWidth`` so that even an instant is visible, and never past 100.
        var width: Double
        /// What the row says beside the bar: the HTTP status or the attempt's error, shortly.
        var note: String?
    }

    /// The narrowest bar drawn, in percent.
    static let minimumWidth = 0.4

    /// When the timeline starts: the run's start (or creation, before a worker claimed it).
    var origin: Date
    /// Seconds from `origin` to the run's end (or now, while it runs).
    var total: TimeInterval
    /// The bars, each step followed by its attempts.
    var bars: [Bar]

    /// Lays out `run`; an unfinished run or step extends to `now`. `unstarted` names the
    /// workflow's steps that have no execution yet: rows without a bar, so that a person sees
    /// what never ran (`not-run` once the run finished, `pending` before).
    init(run: Run, steps: [StepExecution], attempts: [Attempt], unstarted: [String] = [], now: Date) {
        let stepStarts = steps.compactMap(\.startedAt) + attempts.map(\.attempt.startedAt)
        origin = ([run.startedAt ?? run.createdAt] + stepStarts).min()!
        let runEnd = run.finishedAt ?? (run.status.isTerminal ? run.updatedAt : now)
        let ends = steps.compactMap { $0.finishedAt ?? ($0.startedAt == nil ? nil : (run.status.isTerminal ? $0.updatedAt : now)) }
            + attempts.map { $0.attempt.startedAt.addingTimeInterval($0.attempt.duration.map(DashboardText.seconds) ?? 0) }
        let end = ([runEnd] + ends).max()!
        // A run that took no measurable time still gets a scale to draw on.
        total = max(origin.distance(to: end), 0.001)
        bars = []
        for step in steps {
            let stepEnd = step.finishedAt ?? (run.status.isTerminal ? step.updatedAt : now)
            bars.append(bar(.step, label: step.key.description, status: step.status.rawValue, start: step.startedAt,
                            end: step.startedAt.map { _ in stepEnd }, note: step.error.map { DashboardText.excerpt(ErrorView.message($0), limit: 80) }))
            for attempt in attempts where attempt.key == step.key {
                let value = attempt.attempt
                let status = value.error != nil ? "failed" : value.duration == nil ? (step.status.isTerminal ? step.status.rawValue : "running") : "succeeded"
                let attemptEnd = value.duration.map { value.startedAt.addingTimeInterval(DashboardText.seconds($0)) }
                    ?? (step.status.isTerminal ? stepEnd : now)
                let note = value.responseStatus.map { "HTTP \($0)" } ?? value.error.map { DashboardText.excerpt($0, limit: 60) }
                bars.append(bar(.attempt, label: "attempt \(value.number)", status: status, start: value.startedAt, end: attemptEnd, note: note))
            }
        }
        for id in unstarted {
            bars.append(bar(.step, label: id, status: run.status.isTerminal ? "not-run" : "pending", start: nil, end: nil, note: nil))
        }
    }

    private func bar(_ kind: Bar.Kind, label: String, status: String, start: Date?, end: Date?, note: String?) -> Bar {
        guard let start, let end else {
            return Bar(kind: kind, label: label, status: status, offset: nil, duration: 0, left: 0, width: 0, note: note)
        }
        let offset = max(0, origin.distance(to: start))
        let duration = max(0, start.distance(to: end))
        let left = min(100, offset * 100 / total)
        let width = min(max(duration * 100 / total, Self.minimumWidth), max(100 - left, Self.minimumWidth))
        return Bar(kind: kind, label: label, status: status, offset: offset, duration: duration,
                   left: min(left, 100 - Self.minimumWidth), width: width, note: note)
    }
}

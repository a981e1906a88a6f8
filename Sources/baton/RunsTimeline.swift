import BatonCore
import Foundation
import JSONata

/// `baton runs show`: a run's record (the API's JSON) drawn for a terminal: the run, then one
/// line per step with its status, start offset, duration, attempts and a bar placing it in
/// time, each failed attempt and error beneath. Colour only when `colour` is on.
struct RunsTimeline {
    let run: JSONValue
    let colour: Bool
    /// Characters of the bar column.
    static let barWidth = 24

    /// Whether standard output is a terminal that accepts colour (`NO_COLOR` turns it off).
    static var stdoutWantsColour: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    func render() -> String {
        let status = run["status"]?.stringValue ?? "?"
        var lines = ["run \(run["id"]?.stringValue ?? "?"): \(paint(status, status))"]
        var facts: [(String, String)] = [
            ("workflow", "\(run["workflow"]?.stringValue ?? "?") (version \(Self.number(run["workflow_version"])))"),
            ("trigger", run["trigger"]?.stringValue ?? "?"),
            ("created", run["created_at"]?.stringValue ?? "?"),
            ("duration", run["duration_ms"]?.numberValue.map { Self.duration(milliseconds: $0) } ?? "-"),
        ]
        if let origin = run["origin"], let kind = origin["kind"]?.stringValue, let id = origin["run_id"]?.stringValue {
            facts.append(("\(kind) of", id))
        }
        for derived in run["derived"]?.elements ?? [] {
            let kind = derived["kind"]?.stringValue == "retry" ? "retried as" : "replayed as"
            facts.append((kind, derived["run_id"]?.stringValue ?? "?"))
        }
        if let error = run["error"], error != .null { facts.append(("error", Self.errorLine(error, width: nil))) }
        let labelWidth = facts.map(\.0.count).max() ?? 0
        lines += facts.map { "  \($0.0.padding(toLength: labelWidth, withPad: " ", startingAt: 0))  \($0.1)" }
        lines.append("")
        lines += stepLines()
        return lines.joined(separator: "\n") + "\n"
    }

    /// The steps table with attempts and errors beneath their step.
    private func stepLines() -> [String] {
        let steps = run["steps"]?.elements ?? []
        guard !steps.isEmpty else { return ["  (no step has started)"] }
        let origin = Self.date(run["started_at"]) ?? Self.date(run["created_at"]) ?? Date()
        let created = Self.date(run["created_at"]) ?? origin
        let isRetry = run["origin"]?["kind"]?.stringValue == "retry"
        // The bar spans from the run's start to the last moment anything is known to have happened.
        let ends = steps.compactMap { Self.date($0["finished_at"]) } + [Self.date(run["finished_at"])].compactMap { $0 }
        let span = max(0.001, (ends.max() ?? origin).timeIntervalSince(origin))

        var rows: [[String]] = [["STEP", "STATUS", "START", "DURATION", "ATTEMPTS", "TIMELINE"]]
        var statuses: [String] = [""]
        var details: [[String]] = [[]]
        for step in steps {
            var name = step["id"]?.stringValue ?? "?"
            if let item = step["item"]?.numberValue { name += "[\(Int(item))]" }
            let status = step["status"]?.stringValue ?? "?"
            let start = Self.date(step["started_at"]), end = Self.date(step["finished_at"])
            // A retry starts with the succeeded steps of the run it retries: they ran before it.
            let kept = isRetry && end.map { $0 <= created } == true
            let offset = kept ? "kept" : start.map { Self.offset($0.timeIntervalSince(origin)) } ?? "-"
            let duration = step["duration_ms"]?.numberValue.map { Self.duration(milliseconds: $0) } ?? "-"
            rows.append([name, status, offset, duration, Self.number(step["attempt_count"]),
                         kept ? "|" + String(repeating: " ", count: Self.barWidth) + "|" : bar(start, end, origin: origin, span: span)])
            statuses.append(status)
            var below: [String] = []
            let attempts = step["attempts"]?.elements ?? []
            if status == "failed" || attempts.contains(where: { $0["error"] != nil && $0["error"] != .null }) {
                for attempt in attempts {
                    var line = "attempt \(Self.number(attempt["number"]))"
                    if let at = Self.date(attempt["started_at"]), !kept { line += "  \(Self.offset(at.timeIntervalSince(origin)))" }
                    if let ms = attempt["duration_ms"]?.numberValue { line += "  \(Self.duration(milliseconds: ms))" }
                    if let code = attempt["response_status"]?.numberValue { line += "  HTTP \(Int(code))" }
                    if let error = attempt["error"]?.stringValue { line += "  \(error)" }
                    below.append(line)
                }
            }
            if let error = step["error"], error != .null { below.append("error: \(Self.errorLine(error, width: nil))") }
            details.append(below)
        }
        let table = Self.columns(rows).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var lines: [String] = []
        for (index, line) in table.enumerated() where index < rows.count {
            // Colour the status word in place: the padding was computed on plain text.
            var text = "  " + line
            if index > 0, let range = text.range(of: " \(statuses[index]) ") {
                text.replaceSubrange(range, with: " \(paint(statuses[index], statuses[index])) ")
            }
            lines.append(text)
            lines += details[index].map { "      " + $0 }
        }
        return lines
    }

    /// `|   ████     |`: where the step ran within the run.
    private func bar(_ start: Date?, _ end: Date?, origin: Date, span: TimeInterval) -> String {
        var cells = Array(repeating: " ", count: Self.barWidth)
        if let start {
            let finish = end ?? start
            let first = min(Self.barWidth - 1, max(0, Int((start.timeIntervalSince(origin) / span * Double(Self.barWidth)).rounded(.down))))
            let last = min(Self.barWidth - 1, max(first, Int((finish.timeIntervalSince(origin) / span * Double(Self.barWidth)).rounded(.up)) - 1))
            for index in first...last { cells[index] = "█" }
        }
        return "|" + cells.joined() + "|"
    }

    private func paint(_ text: String, _ status: String) -> String {
        guard colour else { return text }
        let code: String
        switch status {
        case "succeeded": code = "32"
        case "failed": code = "31"
        case "running", "waiting", "queued": code = "33"
        default: code = "90"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    // MARK: Formatting shared with `runs list`

    /// Rows as left-aligned columns two spaces apart, each line ending in a newline.
    static func columns(_ rows: [[String]]) -> String {
        let count = rows.map(\.count).max() ?? 0
        let widths = (0..<count).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, text in
                column == row.count - 1 ? text : text.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// `850ms`, `2.3s`, `4m05s`, `2h10m`.
    static func duration(milliseconds: Double) -> String {
        if milliseconds < 1000 { return "\(Int(milliseconds.rounded()))ms" }
        let seconds = milliseconds / 1000
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3600, (whole % 3600) / 60)
    }

    /// `+850ms`, `+2.3s` from the run's start.
    static func offset(_ seconds: TimeInterval) -> String {
        (seconds < 0 ? "-" : "+") + duration(milliseconds: abs(seconds) * 1000)
    }

    /// An error value as one line: `step 'x': message` for a run's error object, the text otherwise.
    static func errorLine(_ error: JSONValue?, width: Int?) -> String {
        var text: String
        switch error {
        case nil, .null?: return ""
        case .string(let message)?: text = message
        case let value?:
            if let message = value["message"]?.stringValue {
                text = value["step"]?.stringValue.map { "step '\($0)': \(message)" } ?? message
            } else {
                text = value.serialized()
            }
        }
        text = text.replacingOccurrences(of: "\n", with: " ")
        if let width, text.count > width { text = String(text.prefix(width - 1)) + "…" }
        return text
    }

    static func number(_ value: JSONValue?) -> String {
        value?.numberValue.map { String(Int($0)) } ?? "-"
    }

    static func date(_ value: JSONValue?) -> Date? {
        value?.stringValue.flatMap { ISO8601Time.parse($0) }
    }
}

extension JSONValue {
    /// The elements when this is an array, else none.
    var elements: [JSONValue] {
        if case .array(let values) = self { return values }
        return []
    }
}

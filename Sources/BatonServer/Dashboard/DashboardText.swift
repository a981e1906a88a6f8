import BatonCore
import Foundation

/// How the dashboard writes times and durations for people.
enum DashboardText {
    /// `2026-05-01 09:30:12Z`: UTC, to the second, the same in every browser (pages have no
    /// script to convert to the reader's zone, and a server-chosen zone would surprise someone).
    static func time(_ date: Date) -> String {
        let whole = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        return ISO8601Time.format(whole).replacingOccurrences(of: "T", with: " ")
    }

    /// `850 ms`, `1.25 s`, `42 s`, `3 min 5 s`, `2 h 10 min`.
    static func duration(_ seconds: TimeInterval) -> String {
        let seconds = max(0, seconds)
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 10 { return String(format: "%.2f s", seconds) }
        if seconds < 60 { return "\(Int(seconds.rounded())) s" }
        let total = Int(seconds.rounded())
        if total < 3600 { return total % 60 == 0 ? "\(total / 60) min" : "\(total / 60) min \(total % 60) s" }
        let minutes = (total % 3600) / 60
        return minutes == 0 ? "\(total / 3600) h" : "\(total / 3600) h \(minutes) min"
    }

    /// A `Duration` in seconds.
    static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The first line of `text`, at most `limit` characters, for a table cell.
    static func excerpt(_ text: String, limit: Int = 140) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > limit ? String(line.prefix(limit - 1)) + "…" : line
    }

    /// "1 attempt", "3 attempts".
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}

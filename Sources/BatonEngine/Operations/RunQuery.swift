import BatonCore
import BatonStore
import Foundation

/// The filters, page size and cursor of a run list or export, read from text: the query
/// parameters of `GET /api/runs` and the options of `baton runs list`.
///
/// Parsing reports every bad value at once, each naming the parameter and what it accepts.
/// An empty value counts as absent (an HTML form sends its empty fields).
public struct RunQuery: Sendable, Hashable {
    /// What the query is for: the limits differ.
    public enum Purpose: Sendable, Hashable {
        /// One page: `limit` 1...500, 50 by default, and a `cursor`.
        case list
        /// Every matching run, or at most `limit`; no cursor.
        case export
    }

    /// Every problem with the given parameters, one message each.
    public struct Problems: Error, Sendable, Hashable, CustomStringConvertible {
        /// One line per problem.
        public var messages: [String]
        /// The problems, one per line.
        public var description: String { messages.joined(separator: "\n") }
    }

    /// Which runs.
    public var filter: RunFilter
    /// The most runs to return; `nil` (exports only) for all of them.
    public var limit: Int?
    /// Where the page starts.
    public var cursor: RunCursor?

    /// The page size of a list when none is given.
    public static let defaultLimit = 50
    /// The largest page of a list.
    public static let maximumLimit = 500
    /// The filter parameters, in the order they are documented.
    public static let filterNames = ["workflow", "status", "trigger", "since", "until", "q"]

    /// Creates a query.
    public init(filter: RunFilter = RunFilter(), limit: Int? = RunQuery.defaultLimit, cursor: RunCursor? = nil) {
        self.filter = filter
        self.limit = limit
        self.cursor = cursor
    }

    /// Reads `parameters` (name, value); names in `ignoring` belong to the caller and are skipped.
    /// `status` may repeat or list several statuses separated by commas; for other names the last value counts.
    public static func parse(
        _ parameters: [(String, String)], purpose: Purpose, now: Date, ignoring: Set<String> = []
    ) throws(Problems) -> RunQuery {
        var query = RunQuery(limit: purpose == .list ? defaultLimit : nil)
        var problems: [String] = []
        let known = filterNames + (purpose == .list ? ["limit", "cursor"] : ["limit"])
        for (name, raw) in parameters where !ignoring.contains(name) {
            let value = raw.trimmingCharacters(in: .whitespaces)
            guard known.contains(name) else {
                problems.append("unknown parameter '\(name)'; use \(list(known + ignoring.sorted()))")
                continue
            }
            guard !value.isEmpty else { continue }
            switch name {
            case "workflow":
                query.filter.workflowName = value
            case "status":
                for part in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
                    if let status = RunStatus(rawValue: part.lowercased()) {
                        query.filter.statuses = (query.filter.statuses ?? []).union([status])
                    } else {
                        problems.append("status '\(part)' is not a run status; use \(list(RunStatus.allCases.map(\.rawValue)))")
                    }
                }
            case "trigger":
                if let kind = TriggerKind(rawValue: value.lowercased()) {
                    query.filter.triggerKind = kind
                } else {
                    problems.append("trigger '\(value)' is not a trigger kind; use \(list(TriggerKind.allCases.map(\.rawValue)))")
                }
            case "since", "until":
                if let time = parseTime(value, now: now) {
                    if name == "since" { query.filter.since = time } else { query.filter.until = time }
                } else {
                    problems.append("\(name) '\(value)' is not a time; use ISO 8601 like 2026-03-29T09:00:00Z, or a duration before now like 30m, 24h or 7d")
                }
            case "q":
                query.filter.text = value
            case "limit":
                let maximum = purpose == .list ? maximumLimit : Int.max
                if let limit = Int(value), limit >= 1, limit <= maximum {
                    query.limit = limit
                } else {
                    problems.append(purpose == .list
                        ? "limit '\(value)' must be a whole number from 1 to \(maximumLimit)"
                        : "limit '\(value)' must be a whole number of 1 or more")
                }
            default: // "cursor"
                if let cursor = RunCursor(value) {
                    query.cursor = cursor
                } else {
                    problems.append("cursor '\(value)' is not a cursor; pass the next_cursor of the previous page unchanged")
                }
            }
        }
        if let since = query.filter.since, let until = query.filter.until, since >= until {
            problems.append("since (\(ISO8601Time.format(since))) must be before until (\(ISO8601Time.format(until)))")
        }
        if !problems.isEmpty { throw Problems(messages: problems) }
        return query
    }

    /// A time as ISO 8601 (`2026-03-29T09:00:00Z`, a date alone is its midnight UTC) or as a
    /// duration before `now` (`30m`, `24h`, `7d`); `nil` when it is neither.
    public static func parseTime(_ text: String, now: Date) -> Date? {
        if let duration = try? DurationText.parse(text) {
            return now.addingTimeInterval(-Double(duration.components.seconds) - Double(duration.components.attoseconds) / 1e18)
        }
        return ISO8601Time.parse(text)
    }

    /// `a, b or c`.
    private static func list(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}

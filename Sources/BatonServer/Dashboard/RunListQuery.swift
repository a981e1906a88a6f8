import BatonEngine
import BatonStore
import Foundation

/// The filters of the runs page as its GET form sends them: `workflow`, `status`, `trigger`,
/// `since`, `until` (a duration back from now, like `24h`, or a time like `2026-05-01T09:00Z`),
/// `q` (text in the trigger payload or an error) and `cursor`.
///
/// They are read by ``RunQuery``, as `GET /api/runs` reads them, so that the page and the API
/// agree on every value and every message; this type keeps the fields as typed, to fill the
/// form again and to build the links to other pages.
struct RunListQuery: Sendable {
    /// The form's fields as typed.
    var workflow = "", status = "", trigger = "", since = "", until = "", q = ""
    /// What the store is asked, when every field could be read.
    var query = RunQuery()
    /// Every field that could not be read, each with how to write it.
    var problems: [String] = []

    /// The names read; other parameters (none of the page's own links add any) are ignored.
    static let names = RunQuery.filterNames + ["cursor"]

    /// Reads the form's fields; `now` anchors durations.
    init(_ form: DashboardForm, now: Date) {
        func field(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespaces) }
        workflow = field("workflow")
        status = field("status")
        trigger = field("trigger")
        since = field("since")
        until = field("until")
        q = field("q")
        let pairs = Self.names.compactMap { name in form[name].map { (name, $0) } }
        do {
            query = try RunQuery.parse(pairs, purpose: .list, now: now)
        } catch {
            problems = error.messages
        }
    }

    /// What the store is asked.
    var filter: RunFilter { query.filter }
    /// The page to show: after this run, or the newest.
    var cursor: RunCursor? { query.cursor }

    /// Whether any filter is set (the cursor aside).
    var isFiltered: Bool { ![workflow, status, trigger, since, until, q].allSatisfy(\.isEmpty) }

    /// The runs page with these filters, from `cursor` (the newest runs when `nil`).
    func url(cursor: RunCursor?) -> String {
        DashboardURL.make("/runs", [("workflow", workflow), ("status", status), ("trigger", trigger), ("since", since),
                                    ("until", until), ("q", q), ("cursor", cursor?.description)])
    }
}

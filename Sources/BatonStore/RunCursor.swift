import Foundation

/// Where the next page of ``RunStore/listRuns(filter:limit:after:)`` starts: just past this run,
/// in newest-first order.
///
/// Its ``description`` is an opaque token that ``init(_:)`` reads back, for REST and CLI paging.
public struct RunCursor: Sendable, Hashable, CustomStringConvertible, LosslessStringConvertible {
    /// Creation time of the last run on the previous page, in Unix milliseconds.
    public var createdAtMilliseconds: Int64
    /// Id of the last run on the previous page.
    public var runID: String

    /// A cursor just past `run`.
    public init(after run: Run) {
        self.createdAtMilliseconds = StoreTime.milliseconds(run.createdAt)
        self.runID = run.id
    }

    /// Reads a token made by ``description``; `nil` if it is malformed.
    public init?(_ description: String) {
        guard let dot = description.firstIndex(of: "."),
            let millis = Int64(description[..<dot]),
            description.index(after: dot) < description.endIndex
        else { return nil }
        self.createdAtMilliseconds = millis
        self.runID = String(description[description.index(after: dot)...])
    }

    /// The token: `<created-at-ms>.<run-id>`.
    public var description: String { "\(createdAtMilliseconds).\(runID)" }
}

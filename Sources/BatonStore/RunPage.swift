/// One page of runs, newest first.
public struct RunPage: Sendable, Hashable {
    /// The runs on this page.
    public var runs: [Run]
    /// Pass this to get the next page; `nil` when this page is the last.
    public var next: RunCursor?

    /// Creates a page.
    public init(runs: [Run], next: RunCursor?) {
        self.runs = runs
        self.next = next
    }
}

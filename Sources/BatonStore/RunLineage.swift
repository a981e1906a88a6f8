/// A run's place among retries and replays: the run it was made from, and the runs made from it.
public struct RunLineage: Sendable, Hashable {
    /// The run this one retries or replays, if any.
    public var origin: RunOrigin?
    /// The retries and replays made from this run, oldest first.
    public var derived: [RunOrigin]

    /// Creates a lineage; `RunLineage()` is a run with no origin and nothing made from it.
    public init(origin: RunOrigin? = nil, derived: [RunOrigin] = []) {
        self.origin = origin
        self.derived = derived
    }
}

/// One item a poll returned, and the run to start if the item is new.
public struct PollItem: Sendable, Hashable {
    /// The item's identity within its trigger (an id, a GUID, a hash of the item).
    public var key: String
    /// The run to create when the item was not seen before; nil records the item without starting anything.
    public var run: NewRun?

    /// Describes a polled item.
    public init(key: String, run: NewRun?) {
        self.key = key
        self.run = run
    }
}

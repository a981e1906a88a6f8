/// What reclaiming the space of deleted runs gave back, when the store can tell.
public struct SpaceReclaimed: Sendable, Hashable {
    /// The store's size on disk before, in bytes (`nil` when unknown).
    public var bytesBefore: Int64?
    /// The store's size on disk after, in bytes (`nil` when unknown).
    public var bytesAfter: Int64?

    /// Describes the sizes before and after.
    public init(bytesBefore: Int64?, bytesAfter: Int64?) {
        self.bytesBefore = bytesBefore
        self.bytesAfter = bytesAfter
    }
}

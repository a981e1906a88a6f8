/// A reference an expression makes to the root input: its leading field names and where it starts.
public struct RootPath: Sendable, Hashable, CustomStringConvertible {
    /// Leading field names, e.g. `["steps", "shorten", "output", "body"]`.
    public let fields: [String]
    /// UTF-16 offset in the source where the path starts.
    public let position: Int
    /// The fields joined with dots.
    public var description: String { fields.joined(separator: ".") }
}

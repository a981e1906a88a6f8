/// Why a body is not well-formed XML.
public struct XMLReadError: Error, Sendable, CustomStringConvertible {
    /// What the parser reported, with a line and column.
    public var message: String
    /// The message.
    public var description: String { message }
}

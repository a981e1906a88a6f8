/// A function supplied by the host application, callable from expressions as `$name(...)`.
public struct HostFunction: Sendable {
    /// The name it is called by, without the `$`.
    public let name: String
    /// Optional JSONata signature such as `<s-n?:s>`, checked before the body runs.
    public let signature: String?
    /// The implementation; arguments are nil where undefined, a nil result means undefined.
    public let body: @Sendable ([JSONValue?]) throws -> JSONValue?

    /// Creates a host function.
    public init(name: String, signature: String? = nil, body: @escaping @Sendable ([JSONValue?]) throws -> JSONValue?) {
        self.name = name
        self.signature = signature
        self.body = body
    }
}

/// Wraps a function box so it can sit in a `Sendable` expression (it is immutable once built).
final class FunctionBoxHolder: @unchecked Sendable {
    let box: FunctionBox
    let signature: Signature?
    init(_ box: FunctionBox, _ signature: Signature?) {
        self.box = box
        self.signature = signature
    }
}

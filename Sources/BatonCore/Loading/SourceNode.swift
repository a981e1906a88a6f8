/// A YAML or JSON value exactly as written in a workflow file, each part carrying its location.
///
/// This is the raw shape of a workflow: nothing is checked yet except that the file parses.
/// Validation reads it into a checked `Workflow`.
public struct SourceNode: Sendable {
    /// The value of a scalar, typed by the YAML 1.2 core schema (so `no` and `on` stay strings).
    public enum Scalar: Sendable, Hashable {
        /// `null`, `~` or an empty value.
        case null
        /// `true` or `false`.
        case bool(Bool)
        /// A number written as a plain scalar.
        case number(Double)
        /// Anything else, and every quoted scalar.
        case string(String)
    }

    /// One `key: value` entry of a mapping, in file order.
    public struct Entry: Sendable {
        /// The key's text.
        public var key: String
        /// Where the key is written.
        public var keyLocation: SourceLocation
        /// The value.
        public var value: SourceNode
    }

    /// What kind of node this is.
    public enum Kind: Sendable {
        /// A scalar with its value and source text.
        case scalar(Scalar, text: String, plain: Bool)
        /// A mapping; entries keep file order.
        case mapping([Entry])
        /// A sequence.
        case sequence([SourceNode])
    }

    /// The node's content.
    public var kind: Kind
    /// Where the node starts.
    public var location: SourceLocation

    /// Creates a node.
    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The entries if this is a mapping.
    public var entries: [Entry]? {
        if case .mapping(let entries) = kind { return entries }
        return nil
    }

    /// The items if this is a sequence.
    public var items: [SourceNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The scalar value if this is a scalar.
    public var scalar: Scalar? {
        if case .scalar(let value, _, _) = kind { return value }
        return nil
    }

    /// The text of a scalar of any type (`8080` reads as "8080"); nil for mappings and sequences.
    public var scalarText: String? {
        if case .scalar(_, let text, _) = kind { return text }
        return nil
    }

    /// The string of a string scalar; nil for anything else.
    public var string: String? {
        if case .scalar(.string(let text), _, _) = kind { return text }
        return nil
    }

    /// The value of the entry named `key`, if this is a mapping that has it.
    public subscript(key: String) -> SourceNode? {
        entries?.first(where: { $0.key == key })?.value
    }

    /// A short name of the node's kind for messages: "a mapping", "a list", "a string", ...
    public var kindDescription: String {
        switch kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let value, _, _):
            switch value {
            case .null: return "null"
            case .bool: return "a boolean"
            case .number: return "a number"
            case .string: return "a string"
            }
        }
    }
}

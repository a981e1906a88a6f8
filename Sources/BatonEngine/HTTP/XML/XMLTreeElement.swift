import Foundation
import JSONata
import OrderedCollections

/// One element of a parsed document.
struct XMLTreeElement: Sendable {
    /// The local name (prefix dropped).
    var name: String
    /// The name as written, prefix included.
    var qualifiedName: String
    /// Attributes other than namespace declarations, local names, sorted by name.
    var attributes: [(String, String)]
    /// Child elements in order.
    var children: [XMLTreeElement]
    /// The element's own text (not its children's), concatenated.
    var text: String
    /// Whether `xsi:nil="true"` was set.
    var isNil: Bool

    /// The first child whose local name is `name`.
    func child(_ name: String) -> XMLTreeElement? { children.first { $0.name == name } }

    /// The value of this element by the mapping documented on ``XMLJSONMapping``.
    var jsonValue: JSONValue {
        if isNil { return .null }
        if attributes.isEmpty && children.isEmpty {
            return text.isEmpty ? .null : .string(text)
        }
        var object = OrderedDictionary<String, JSONValue>()
        for (name, value) in attributes { object["@" + name] = .string(value) }
        for child in children {
            let value = child.jsonValue
            switch object[child.name] {
            case nil: object[child.name] = value
            case .array(let values)? where repeatedNames.contains(child.name): object[child.name] = .array(values + [value])
            case let earlier?: object[child.name] = .array([earlier, value])
            }
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { object["#text"] = .string(trimmed) }
        return .object(object)
    }

    /// Names that occur more than once among the children (their values are arrays).
    private var repeatedNames: Set<String> {
        var seen = Set<String>(), repeated = Set<String>()
        for child in children where !seen.insert(child.name).inserted { repeated.insert(child.name) }
        return repeated
    }
}

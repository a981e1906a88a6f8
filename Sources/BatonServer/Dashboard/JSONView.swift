import Foundation
import JSONata

/// Stored JSON as a readable tree: objects and arrays are `<details>` elements, so a person can
/// fold them without any script, and every key and value is escaped.
enum JSONView {
    /// Larger documents are shown as indented text, cut at this many bytes, to keep pages light.
    static let maximumTreeSize = 256 * 1024
    /// Containers nested deeper, or longer, than this start folded.
    static let openDepth = 3, openCount = 50

    /// A titled, collapsible block for stored JSON `text` (text that is not JSON is shown as it is).
    static func block(_ title: String, _ text: String?, open: Bool = false) -> HTML {
        let body: HTML
        if let text {
            body = content(text)
        } else {
            body = "<span class=\"c\">none</span>"
        }
        let openAttribute: HTML = open ? " open" : ""
        return """
            <details class="json"\(openAttribute)><summary>\(title)</summary><div class="json-tree">\(body)</div></details>
            """
    }

    /// The tree of `text`, or the text itself when it is not JSON or too large for a tree.
    static func content(_ text: String) -> HTML {
        guard text.utf8.count <= maximumTreeSize else {
            let pretty = (try? JSONValue(parsing: text))?.serialized(pretty: true) ?? text
            let cut = String(decoding: pretty.utf8.prefix(maximumTreeSize), as: UTF8.self)
            return "<pre>\(cut)</pre><p class=\"c\">Cut at \(maximumTreeSize / 1024) KiB of \(text.utf8.count / 1024) KiB; the REST API has all of it.</p>"
        }
        guard let value = try? JSONValue(parsing: text) else { return "<span class=\"s\">\(text)</span>" }
        return tree(value, depth: 0)
    }

    /// One value, with its children when it is a container.
    static func tree(_ value: JSONValue, depth: Int) -> HTML {
        switch value {
        case .null: return "<span class=\"z\">null</span>"
        case .bool(let flag): return "<span class=\"b\">\(flag ? "true" : "false")</span>"
        case .number: return "<span class=\"n\">\(value.serialized())</span>"
        case .string: return "<span class=\"s\">\(value.serialized())</span>"
        case .array(let items):
            guard !items.isEmpty else { return "[]" }
            let entries = items.map { tree($0, depth: depth + 1) }
            return container("[", "]", entries, count: DashboardText.count(items.count, "item"), depth: depth)
        case .object(let fields):
            guard !fields.isEmpty else { return "{}" }
            let entries = fields.map { key, child -> HTML in
                "<span class=\"k\">\(JSONValue.string(key).serialized())</span>: \(tree(child, depth: depth + 1))"
            }
            return container("{", "}", entries, count: DashboardText.count(fields.count, "key"), depth: depth)
        }
    }

    private static func container(_ opening: String, _ closing: String, _ entries: [HTML], count: String, depth: Int) -> HTML {
        let items = entries.enumerated().map { index, entry -> HTML in
            "<li>\(entry)\(index < entries.count - 1 ? "," : "")</li>"
        }
        let openAttribute: HTML = depth < openDepth && entries.count <= openCount ? " open" : ""
        return "<details\(openAttribute)><summary>\(opening)<span class=\"c\"> \(count)</span></summary><ol>\(items)</ol></details>\(closing)"
    }
}

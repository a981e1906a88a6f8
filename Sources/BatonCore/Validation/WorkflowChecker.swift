import Foundation
import JSONata
import OrderedCollections

/// Reads a workflow's source tree into a checked `Workflow`, collecting every problem on the
/// way instead of stopping at the first one.
///
/// One checker reads one file. It is not shared between threads.
final class WorkflowChecker {
    let file: String
    let sourceText: String
    let source: SourceText
    private(set) var diagnostics: [Diagnostic] = []
    /// Every compiled expression with the names it may use, checked once all steps are known.
    var expressionUses: [ExpressionUse] = []
    /// Where each step's `needs` entries are written, to point at a bad one.
    var needLocations: [String: [String: SourceLocation]] = [:]

    init(file: String, text: String) {
        self.file = file
        self.sourceText = text
        self.source = SourceText(text, file: file)
    }

    // MARK: Reporting

    func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(.error(message, at: location))
    }

    func warning(_ message: String, at location: SourceLocation) {
        diagnostics.append(.warning(message, at: location))
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Diagnostics in source order, each reported once.
    var sortedDiagnostics: [Diagnostic] {
        var seen = Set<Diagnostic>()
        return diagnostics.filter { seen.insert($0).inserted }
            .enumerated()
            .sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }
            .map(\.element)
    }

    // MARK: Mappings

    /// A mapping whose keys were checked against the allowed ones.
    struct Fields {
        let node: SourceNode
        let entries: [SourceNode.Entry]

        subscript(key: String) -> SourceNode? { entries.first { $0.key == key }?.value }

        func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

        func keyLocation(_ key: String) -> SourceLocation? { entries.first { $0.key == key }?.keyLocation }
    }

    /// Reads `node` as a mapping, reporting unknown keys (with a suggestion) against `allowed`.
    /// Reports and returns nil when it is not a mapping.
    func fields(_ node: SourceNode, of what: String, allowed: [String]) -> Fields? {
        guard let entries = node.entries else {
            error("\(what) must be a mapping of keys to values, not \(node.kindDescription)", at: node.location)
            return nil
        }
        for entry in entries where !allowed.contains(entry.key) {
            let suggestion = Suggestions.closest(to: entry.key, in: allowed)
            let tail = suggestion.map { "; did you mean '\($0)'?" }
                ?? "; expected one of: \(allowed.joined(separator: ", "))"
            error("unknown key '\(entry.key)' in \(what)\(tail)", at: entry.keyLocation)
        }
        return Fields(node: node, entries: entries)
    }

    /// The value of a required key, or an error at the mapping saying what to add.
    func required(_ fields: Fields, _ key: String, of what: String, example: String? = nil) -> SourceNode? {
        if let value = fields[key] { return value }
        let tail = example.map { ", e.g. '\(key): \($0)'" } ?? ""
        error("\(what) has no '\(key)'; add it\(tail)", at: fields.node.location)
        return nil
    }

    // MARK: Scalars

    func string(_ node: SourceNode, _ what: String) -> String? {
        switch node.kind {
        case .scalar(.string(let text), _, _):
            return text
        case .scalar(.number, let text, _), .scalar(.bool, let text, _):
            // `version: 2` or `tag: true` in a string field: take the text as written.
            return text
        default:
            error("\(what) must be a string, not \(node.kindDescription)", at: node.location)
            return nil
        }
    }

    func nonEmptyString(_ node: SourceNode, _ what: String) -> String? {
        guard let text = string(node, what) else { return nil }
        if text.trimmingCharacters(in: .whitespaces).isEmpty {
            error("\(what) is empty; give it a value", at: node.location)
            return nil
        }
        return text
    }

    func int(_ node: SourceNode, _ what: String, in range: ClosedRange<Int>) -> Int? {
        guard case .scalar(.number(let value), let text, _) = node.kind else {
            error("\(what) must be a whole number, not \(node.kindDescription)", at: node.location)
            return nil
        }
        guard value.rounded() == value, let integer = Int(exactly: value) else {
            error("\(what) must be a whole number, not \(text)", at: node.location)
            return nil
        }
        guard range.contains(integer) else {
            let bounds = range.upperBound == Int.max ? "at least \(range.lowerBound)"
                : "between \(range.lowerBound) and \(range.upperBound)"
            error("\(what) must be \(bounds), not \(integer)", at: node.location)
            return nil
        }
        return integer
    }

    func bool(_ node: SourceNode, _ what: String) -> Bool? {
        if case .scalar(.bool(let value), _, _) = node.kind { return value }
        let extra = node.scalarText.map { ["yes", "no", "on", "off", "y", "n"].contains($0.lowercased()) } == true
            ? " (Baton reads YAML 1.2, where only true and false are booleans)" : ""
        error("\(what) must be true or false, not \(node.scalarText.map { "'\($0)'" } ?? node.kindDescription)\(extra)",
              at: node.location)
        return nil
    }

    func duration(_ node: SourceNode, _ what: String) -> Duration? {
        guard let text = node.scalarText, node.items == nil, node.entries == nil else {
            error("\(what) must be a duration like 10s, 5m or 1h30m, not \(node.kindDescription)", at: node.location)
            return nil
        }
        if case .scalar(.number, _, _) = node.kind {
            error("\(what) '\(text)' has no unit; write e.g. \(text)s for seconds or \(text)ms for milliseconds",
                  at: node.location)
            return nil
        }
        do {
            return try DurationText.parse(text)
        } catch {
            self.error("\(what): \(error.message)", at: source.location(ofOffset: error.offset, in: text, of: node))
            return nil
        }
    }

    /// One of an enumeration's raw values, with a suggestion when misspelt.
    func choice<Value: RawRepresentable & CaseIterable>(_ node: SourceNode, _ what: String, as type: Value.Type) -> Value?
    where Value.RawValue == String {
        guard let text = node.scalarText, node.items == nil else {
            error("\(what) must be a string, not \(node.kindDescription)", at: node.location)
            return nil
        }
        if let value = Value(rawValue: text) { return value }
        let options = Value.allCases.map(\.rawValue)
        let list = options.count == 2 ? "\(options[0]) or \(options[1])"
            : options.dropLast().joined(separator: ", ") + " or " + options.last!
        error("\(what) must be \(list), not '\(text)'\(Suggestions.hint(for: text, in: options))", at: node.location)
        return nil
    }

    /// A list, or a single value read as a one-item list (`needs: fetch`).
    func list(_ node: SourceNode) -> [SourceNode] {
        node.items ?? [node]
    }

    // MARK: JSON values

    /// The JSON value of a node, for defaults and literals.
    func json(_ node: SourceNode) -> JSONValue {
        switch node.kind {
        case .scalar(let scalar, _, _):
            switch scalar {
            case .null: return .null
            case .bool(let value): return .bool(value)
            case .number(let value): return .number(value)
            case .string(let text): return .string(text)
            }
        case .sequence(let items):
            return .array(items.map(json))
        case .mapping(let entries):
            var object = OrderedDictionary<String, JSONValue>(minimumCapacity: entries.count)
            for entry in entries { object[entry.key] = json(entry.value) }
            return .object(object)
        }
    }
}

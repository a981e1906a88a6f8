import JSONata
import OrderedCollections

/// An expression that failed while a run evaluated it, with where it is written.
public struct TemplateEvaluationError: Error, Sendable, CustomStringConvertible {
    /// The failing expression's location in the workflow file.
    public var location: SourceLocation
    /// The expression's source.
    public var source: String
    /// The JSONata error.
    public var underlying: JSONataError

    /// `file:line:col: expression failed: CODE: message`.
    public var description: String {
        "\(location): expression failed: \(underlying.code): \(underlying.message)"
    }
}

extension Template {
    /// Evaluates the template against the expression context (`trigger`, `steps`, `env`, ...).
    ///
    /// A whole-value expression keeps its JSON type and may be undefined (nil); interpolation
    /// always gives a string, with undefined parts left out; undefined object members and array
    /// items are dropped, as JSONata's own constructors do.
    public func evaluate(in context: JSONValue, limits: EvaluationLimits = .default) throws(TemplateEvaluationError) -> JSONValue? {
        switch self {
        case .literal(let value):
            return value
        case .expression(let expression):
            return try expression.evaluate(in: context, limits: limits)
        case .interpolation(let parts):
            var text = ""
            for part in parts {
                switch part {
                case .text(let literal): text += literal
                case .expression(let expression):
                    if let value = try expression.evaluate(in: context, limits: limits) { text += Self.text(of: value) }
                }
            }
            return .string(text)
        case .array(let items):
            var values: [JSONValue] = []
            values.reserveCapacity(items.count)
            for item in items {
                if let value = try item.evaluate(in: context, limits: limits) { values.append(value) }
            }
            return .array(values)
        case .object(let members):
            var object = OrderedDictionary<String, JSONValue>(minimumCapacity: members.count)
            for member in members {
                if let value = try member.value.evaluate(in: context, limits: limits) { object[member.key] = value }
            }
            return .object(object)
        }
    }

    /// How a value reads inside a string: strings as they are, everything else as JSON.
    public static func text(of value: JSONValue) -> String {
        if case .string(let string) = value { return string }
        return value.serialized()
    }
}

extension TemplateExpression {
    /// Evaluates the expression, attaching its location to a failure.
    public func evaluate(in context: JSONValue, limits: EvaluationLimits = .default) throws(TemplateEvaluationError) -> JSONValue? {
        do {
            return try compiled.evaluate(context, limits: limits)
        } catch let error as JSONataError {
            throw TemplateEvaluationError(location: location, source: source, underlying: error)
        } catch {
            throw TemplateEvaluationError(location: location, source: source,
                                          underlying: JSONataError(code: "D1000", message: "\(error)"))
        }
    }
}

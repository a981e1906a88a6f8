import JSONata

/// A value from a workflow file that may hold `${{ expression }}` parts, with every expression
/// already compiled.
///
/// A value that is exactly one `${{ expr }}` keeps the expression's JSON type; a string with
/// text around `${{ }}` is string interpolation; arrays and objects hold templates.
public indirect enum Template: Sendable {
    /// A constant.
    case literal(JSONValue)
    /// A whole value computed by one expression; its result keeps its JSON type.
    case expression(TemplateExpression)
    /// A string built from text and expressions.
    case interpolation([InterpolationPart])
    /// An array of templates.
    case array([Template])
    /// An object of templates, keys in file order.
    case object([ObjectMember])

    /// One part of an interpolated string.
    public enum InterpolationPart: Sendable {
        /// Literal text.
        case text(String)
        /// An expression whose result is turned into text.
        case expression(TemplateExpression)
    }

    /// One member of an object template.
    public struct ObjectMember: Sendable {
        /// The key, taken literally.
        public var key: String
        /// The value.
        public var value: Template
    }

    /// Every expression in the template, depth first in file order.
    public var expressions: [TemplateExpression] {
        switch self {
        case .literal: return []
        case .expression(let expression): return [expression]
        case .interpolation(let parts):
            return parts.compactMap { if case .expression(let e) = $0 { return e } else { return nil } }
        case .array(let items): return items.flatMap(\.expressions)
        case .object(let members): return members.flatMap(\.value.expressions)
        }
    }

    /// The constant value, if the template holds no expression.
    public var literalValue: JSONValue? {
        if case .literal(let value) = self { return value }
        return nil
    }

    /// The single expression, if the whole value is one `${{ }}`.
    public var singleExpression: TemplateExpression? {
        if case .expression(let expression) = self { return expression }
        return nil
    }
}

/// One compiled `${{ }}` expression with where it was written.
public struct TemplateExpression: Sendable {
    /// The JSONata source between the delimiters.
    public var source: String
    /// Where the source's first character is in the workflow file.
    public var location: SourceLocation
    /// The compiled expression.
    public var compiled: JSONata.Expression

    /// Creates a compiled template expression.
    public init(source: String, location: SourceLocation, compiled: JSONata.Expression) {
        self.source = source
        self.location = location
        self.compiled = compiled
    }
}

/// An error raised while compiling or evaluating a JSONata expression, with the reference's code.
public struct JSONataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reference implementation's error code, e.g. `S0201`, `T2001`, `D3001`.
    public let code: String
    /// Character offset (UTF-16 units) in the expression source where the error was detected.
    public internal(set) var position: Int
    /// The token the error relates to, when there is one.
    public internal(set) var token: String?
    /// The offending value, when there is one.
    public internal(set) var value: JSONValue?
    /// A second value (for comparisons), when there is one.
    public internal(set) var value2: JSONValue?
    /// Argument index for signature errors.
    var index: Int?
    var type: String?
    var customMessage: String?

    init(code: String, position: Int, token: String? = nil, value: JSONValue? = nil, value2: JSONValue? = nil,
         index: Int? = nil, type: String? = nil, message: String? = nil)
    {
        self.code = code
        self.position = position
        self.token = token
        self.value = value
        self.value2 = value2
        self.index = index
        self.type = type
        self.customMessage = message
    }

    /// Creates a host-raised error with a code and message (for registered functions).
    public init(code: String, message: String) {
        self.init(code: code, position: 0, message: message)
    }

    /// The human-readable message, following the reference's wording.
    public var message: String {
        if let customMessage { return customMessage }
        guard let template = JSONataError.templates[code] else { return "Error \(code)" }
        var out = template
        func json(_ v: JSONValue?) -> String { v.map { $0.serialized() } ?? "undefined" }
        out = out.replacingOccurrences(of: "{{{token}}}", with: token ?? "undefined")
        out = out.replacingOccurrences(of: "{{token}}", with: token.map { JSONValue.string($0).serialized() } ?? "undefined")
        out = out.replacingOccurrences(of: "{{value}}", with: json(value))
        out = out.replacingOccurrences(of: "{{value2}}", with: json(value2))
        out = out.replacingOccurrences(of: "{{index}}", with: index.map(String.init) ?? "undefined")
        out = out.replacingOccurrences(of: "{{type}}", with: type.map { JSONValue.string($0).serialized() } ?? "undefined")
        return out
    }

    /// `CODE @position: message`.
    public var description: String { "\(code) at position \(position): \(message)" }

    /// Errors are equal when code, position, token and message agree.
    public static func == (a: JSONataError, b: JSONataError) -> Bool {
        a.code == b.code && a.position == b.position && a.token == b.token && a.message == b.message
    }

    static let templates: [String: String] = [
        "S0101": "String literal must be terminated by a matching quote",
        "S0102": "Number out of range: {{token}}",
        "S0103": "Unsupported escape sequence: \\{{token}}",
        "S0104": "The escape sequence \\u must be followed by 4 hex digits",
        "S0105": "Quoted property name must be terminated with a backquote (`)",
        "S0106": "Comment has no closing tag",
        "S0201": "Syntax error: {{token}}",
        "S0202": "Expected {{value}}, got {{token}}",
        "S0203": "Expected {{value}} before end of expression",
        "S0204": "Unknown operator: {{token}}",
        "S0205": "Unexpected token: {{token}}",
        "S0206": "Unknown expression type: {{token}}",
        "S0207": "Unexpected end of expression",
        "S0208": "Parameter {{value}} of function definition must be a variable name (start with $)",
        "S0209": "A predicate cannot follow a grouping expression in a step",
        "S0210": "Each step can only have one grouping expression",
        "S0211": "The symbol {{token}} cannot be used as a unary operator",
        "S0212": "The left side of := must be a variable name (start with $)",
        "S0213": "The literal value {{value}} cannot be used as a step within a path expression",
        "S0214": "The right side of {{token}} must be a variable name (start with $)",
        "S0215": "A context variable binding must precede any predicates on a step",
        "S0216": "A context variable binding must precede the 'order-by' clause on a step",
        "S0217": "The object representing the 'parent' cannot be derived from this expression",
        "S0301": "Empty regular expressions are not allowed",
        "S0302": "No terminating / in regular expression",
        "S0402": "Choice groups containing parameterized types are not supported",
        "S0401": "Type parameters can only be applied to functions and arrays",
        "S0500": "Attempted to evaluate an expression containing syntax error(s)",
        "T0410": "Argument {{index}} of function {{token}} does not match function signature",
        "T0411": "Context value is not a compatible type with argument {{index}} of function {{token}}",
        "T0412": "Argument {{index}} of function {{token}} must be an array of {{type}}",
        "D1001": "Number out of range: {{value}}",
        "D1002": "Cannot negate a non-numeric value: {{value}}",
        "T1003": "Key in object structure must evaluate to a string; got: {{value}}",
        "D1004": "Regular expression matches zero length string",
        "T1005": "Attempted to invoke a non-function. Did you mean ${{{token}}}?",
        "T1006": "Attempted to invoke a non-function",
        "T1007": "Attempted to partially apply a non-function. Did you mean ${{{token}}}?",
        "T1008": "Attempted to partially apply a non-function",
        "D1009": "Multiple key definitions evaluate to same key: {{value}}",
        "T1010": "The matcher function argument passed to function {{token}} does not return the correct object structure",
        "T2001": "The left side of the {{token}} operator must evaluate to a number",
        "T2002": "The right side of the {{token}} operator must evaluate to a number",
        "T2003": "The left side of the range operator (..) must evaluate to an integer",
        "T2004": "The right side of the range operator (..) must evaluate to an integer",
        "T2006": "The right side of the function application operator ~> must be a function",
        "T2007": "Type mismatch when comparing values {{value}} and {{value2}} in order-by clause",
        "T2008": "The expressions within an order-by clause must evaluate to numeric or string values",
        "T2009": "The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type",
        "T2010": "The expressions either side of operator {{token}} must evaluate to numeric or string values",
        "T2011": "The insert/update clause of the transform expression must evaluate to an object: {{value}}",
        "T2012": "The delete clause of the transform expression must evaluate to a string or array of strings: {{value}}",
        "T2013": "The transform expression clones the input object using the $clone() function.  This has been overridden in the current scope by a non-function.",
        "D2014": "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {{value}}.",
        "D3001": "Attempting to invoke string function on Infinity or NaN",
        "D3010": "Second argument of replace function cannot be an empty string",
        "D3011": "Fourth argument of replace function must evaluate to a positive number",
        "D3012": "Attempted to replace a matched string with a non-string value",
        "D3020": "Third argument of split function must evaluate to a positive number",
        "D3030": "Unable to cast value to a number: {{value}}",
        "D3040": "Third argument of match function must evaluate to a positive number",
        "D3050": "The second argument of reduce function must be a function with at least two arguments",
        "D3060": "The sqrt function cannot be applied to a negative number: {{value}}",
        "D3061": "The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{value2}}",
        "D3070": "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function",
        "D3100": "The radix of the formatBase function must be between 2 and 36.  It was given {{value}}",
        "D3110": "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {{value}}",
        "D3120": "Syntax error in expression passed to function eval: {{value}}",
        "D3121": "Dynamic error evaluating the expression passed to function eval: {{value}}",
        "D3137": "{{{message}}}",
        "D3138": "The $single() function expected exactly 1 matching result.  Instead it matched more.",
        "D3139": "The $single() function expected exactly 1 matching result.  Instead it matched 0.",
        "D3140": "Malformed URL passed to ${{{functionName}}}(): {{value}}",
        "D3141": "{{{message}}}",
        "U1001": "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.",
        "U1002": "Expression evaluation timeout: Check for infinite loop",
        "U1003": "The result would be too large: {{value}} exceeds the limit of 1e7 characters.",
    ]
}

import Foundation

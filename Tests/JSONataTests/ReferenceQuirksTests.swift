import Testing

@testable import JSONata

/// Behaviours found by running the same expressions through jsonata-js 2.2.1 and through ours
/// (outside the reference suite); the expected values are the reference's answers.
struct ReferenceQuirksTests {
    /// An expression, its expected JSON result (`nil` = undefined).
    struct Case: Sendable, CustomTestStringConvertible {
        let expression: String
        let expected: JSONValue?
        var testDescription: String { expression }
    }

    /// A filtered array constructor at the start of a path yields one value, which the rest of
    /// the path iterates like an array: a string by its characters, anything else as empty.
    static let filteredConstructorThenPath: [Case] = [
        Case(expression: #"[{"x":1,"p":true},{"x":2,"p":false}][p].x"#, expected: nil),
        Case(expression: #"[{"x":1},{"x":2}][0].x"#, expected: nil),
        Case(expression: #"[5,6][0].($ + 1)"#, expected: nil),
        Case(expression: #"["abc","de"][0].$uppercase()"#, expected: ["A", "B", "C"]),
        Case(expression: #"["abc","de"][0].$"#, expected: ["a", "b", "c"]),
        Case(expression: #"["", "de"][0].x"#, expected: ""),
        // Unchanged: several matches stay an array, the constructor alone keeps its value,
        // and parentheses end the path.
        Case(expression: #"[{"x":1},{"x":2}][x>0].x"#, expected: [1, 2]),
        Case(expression: #"[{"x":1},{"x":2}][0]"#, expected: ["x": 1]),
        Case(expression: #"([{"x":1,"p":true},{"x":2,"p":false}][p]).x"#, expected: 1),
    ]

    @Test(arguments: filteredConstructorThenPath)
    func filteredArrayConstructorStartingAPath(_ test: Case) throws {
        #expect(try JSONata.Expression(test.expression).evaluate(nil) == test.expected)
    }

    @Test func substringWithoutAStartButWithALengthIsEmpty() throws {
        #expect(try JSONata.Expression(#"$substring("Hello World", nothing, 5)"#).evaluate(nil) == .string(""))
        #expect(try JSONata.Expression(#"$substring("Hello World", nothing)"#).evaluate(nil) == .string("Hello World"))
    }
}

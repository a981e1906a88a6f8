import JSONata
import Testing

/// Names bound by the host or by the expression win over built-in functions of the same name.
struct BindingShadowingTests {
    @Test func hostBindingHidesABuiltIn() throws {
        let expression = try JSONata.Expression("$string")
        #expect(try expression.evaluate(nil, bindings: ["string": "bound"]) == "bound")
        // Without the binding, the name is the built-in function again (a function is not JSON).
        #expect(try JSONata.Expression("$string(42)").evaluate(nil) == "42")
    }

    @Test func expressionBindingsHideBuiltIns() throws {
        #expect(try JSONata.Expression("($sum := function($a) { $a * 10 }; $sum(2))").evaluate(nil) == 20)
        #expect(try JSONata.Expression("(function($count) { $count + 1 })(4)").evaluate(nil) == 5)
        #expect(try JSONata.Expression("$sum([1, 2])").evaluate(nil) == 3)
    }

    @Test func hostFunctionWithABuiltInNameWins() throws {
        let expression = try JSONata.Expression("$uppercase('a')", functions: [
            HostFunction(name: "uppercase", body: { _ in "host" }),
        ])
        #expect(try expression.evaluate(nil) == "host")
    }
}

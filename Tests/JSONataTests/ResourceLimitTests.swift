import Testing

@testable import JSONata

/// Inputs that would exhaust memory or the stack get an error (or a bounded answer) instead of
/// crashing the process: a workflow's expression, or the data a webhook sends, must never take
/// Baton down.
struct ResourceLimitTests {
    func eval(_ source: String, _ input: JSONValue? = nil) throws -> JSONValue? {
        try JSONata.Expression(source).evaluate(input)
    }

    func code(_ source: String) -> String? {
        do {
            _ = try eval(source)
            return nil
        } catch let error as JSONataError {
            return error.code
        } catch {
            return "\(error)"
        }
    }

    @Test func hugeIndexesAndLimitsFromDataSelectNothing() throws {
        #expect(try eval("[1, 2][1e21]") == nil)
        #expect(try eval("[1, 2][-1e21]") == nil)
        #expect(try eval("items[$$.i]", ["items": [1, 2], "i": 1e300]) == nil)
        #expect(try eval(#"$split("a,b,c", ",", 1e21)"#) == ["a", "b", "c"])
        #expect(try eval(#"$substring("abc", 1e21)"#) == "")
    }

    @Test func aRangeBeyond2To53Ends() throws {
        // Stepping by one never reaches the end there (x + 1 == x): the range is counted instead.
        #expect(try eval("$count([1e21..1e21+1])") == .number(1))
    }

    @Test func resultsTooLargeToBuildAreRefused() {
        #expect(code(#"$pad("x", 1e21)"#) == "U1003")
        #expect(code(#"$pad("x", -1e9)"#) == "U1003")
        #expect(code(#"$formatInteger(1e21, "I")"#) == "U1003")
        #expect(code(#"$fromMillis(0, "[f,1000000000000]")"#) == "U1003")
    }

    @Test func deeplyNestedExpressionsAreRefused() {
        #expect(code(String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)) == "U1001")
        #expect(code(String(repeating: "[", count: 100_000) + "1" + String(repeating: "]", count: 100_000)) == "U1001")
        #expect(code("1" + String(repeating: "+1", count: 100_000)) == "U1001")
        #expect(code("a" + String(repeating: ".a", count: 100_000)) == "U1001")
        #expect(code(String(repeating: "-", count: 100_000) + "1") == "U1001")
        // An ordinary long chain is fine.
        #expect(code("1" + String(repeating: "+1", count: 200)) == nil)
    }

    @Test func deeplyNestedJSONIsAParseError() throws {
        let shallow = String(repeating: "[", count: 900) + String(repeating: "]", count: 900)
        #expect(try JSONValue(parsing: shallow) != .null)
        let deep = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
        #expect(throws: (any Error).self) { try JSONValue(parsing: deep) }
    }
}

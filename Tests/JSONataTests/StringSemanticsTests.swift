import Testing

@testable import JSONata

/// String functions count Unicode code points, as the reference (`Array.from`) does, and
/// regex literals follow JavaScript's rules.
struct StringSemanticsTests {
    func eval(_ source: String) throws -> JSONValue? {
        try JSONata.Expression(source).evaluate(nil)
    }

    @Test func lengthCountsCodePoints() throws {
        #expect(try eval(#"$length("😀a")"#) == .number(2))
        #expect(try eval(#"$length("héllo")"#) == .number(5))
    }

    @Test func substringAndPadUseCodePoints() throws {
        #expect(try eval(#"$substring("😀abc", 1, 2)"#) == .string("ab"))
        #expect(try eval(#"$substring("hello", -3)"#) == .string("llo"))
        #expect(try eval(#"$pad("x", 3, "😀")"#) == .string("x😀😀"))
        #expect(try eval(#"$pad("x", -3)"#) == .string("  x"))
    }

    @Test func dollarAnchorsAtEndOfInputOnly() throws {
        #expect(try eval(#"$contains("ab\n", /b$/)"#) == .bool(false))
        #expect(try eval(#"$contains("ab\nc", /b$/m)"#) == .bool(true))
        #expect(try eval(#"$contains("AB", /ab/i)"#) == .bool(true))
    }

    @Test func replaceWithGroupsAndSplitWithRegex() throws {
        #expect(try eval(#"$replace("John Smith", /(\w+)\s(\w+)/, "$2, $1")"#) == .string("Smith, John"))
        #expect(try eval(#"$split("a1b22c", /[0-9]+/)"#) == ["a", "b", "c"])
        #expect(try eval(#"$match("ab12", /[0-9]/).match"#) == ["1", "2"])
    }

    @Test func zeroLengthRegexMatchIsAnError() {
        do {
            _ = try eval(#"$replace("abc", /x*/, "-")"#)
            Issue.record("expected D1004")
        } catch let e as JSONataError {
            #expect(e.code == "D1004")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

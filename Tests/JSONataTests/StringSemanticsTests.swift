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

    /// `$length` and `$substring` count code points eight bytes at a time; strings mixing one- to
    /// four-byte characters at every offset must count and slice exactly as code points do.
    @Test func lengthAndSubstringAgreeWithCodePointsAcrossWords() throws {
        let pieces = ["a", "é", "—", "😀", "z", "ß", "9"]
        let length = try JSONata.Expression("$length(s)")
        let slice = try JSONata.Expression("$substring(s, a, n)")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let count = Int.random(in: 0...40, using: &generator)
            let text = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let scalars = Array(text.unicodeScalars)
            #expect(try length.evaluate(["s": .string(text)]) == .number(Double(scalars.count)), "\(text)")
            let start = Int.random(in: -5...(scalars.count + 2), using: &generator)
            let width = Int.random(in: 0...(scalars.count + 2), using: &generator)
            let from = start < 0 ? max(scalars.count + start, 0) : min(start, scalars.count)
            let to = min(from + width, scalars.count)
            var expected = String.UnicodeScalarView()
            expected.append(contentsOf: scalars[from..<to])
            let got = try slice.evaluate(["s": .string(text), "a": .number(Double(start)), "n": .number(Double(width))])
            #expect(got == .string(String(expected)), "$substring(\(text), \(start), \(width))")
        }
    }

    /// A chain of `&` converts each operand as the reference does and reports a conversion
    /// error at the `&` that met it.
    @Test func concatenationChainsConvertAndReportLikeSingleOperators() throws {
        #expect(try eval(#""a" & 1 & nothing & [1,2] & {"k":true} & null & false"#) == .string(#"a1[1,2]{"k":true}nullfalse"#))
        for (source, position) in [(#""x" & "y" & (1/0) & $error("e")"#, 11), (#""x" & (1/0) & "y""#, 5), (#"(1/0) & "x" & "y""#, 7)] {
            #expect { try eval(source) } throws: { error in
                guard let error = error as? JSONataError else { return false }
                return error.code == "D3001" && error.position == position
            }
        }
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

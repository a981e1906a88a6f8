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
    /// Fractional positions: the end is worked out from the numbers as given, then each bound
    /// drops its fraction (the reference slices with JavaScript's `slice`). Answers are jsonata-js's.
    @Test func substringWithFractionalPositionsEndsWhereTheReferenceEnds() throws {
        #expect(try eval(#"$substring("Hello World", 0.5, 2.5)"#) == .string("Hel"))
        #expect(try eval(#"$substring("Hello World", 2.5, 2.5)"#) == .string("llo"))
        #expect(try eval(#"$substring("Hello World", 1.5)"#) == .string("ello World"))
        #expect(try eval(#"$substring("Hello", -0.5, 2)"#) == .string("Hello"))
        #expect(try eval(#"$substring("Hello", -2.5, 1.5)"#) == .string("l"))
        #expect(try eval(#"$substring("Hello", 1, 0.5)"#) == .string(""))
    }

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

    /// Strings order by UTF-16 code units, as JavaScript's `<` and the reference's sorts do, though
    /// they are compared as UTF-8 bytes: a character past U+FFFF sorts before one in
    /// U+E000-U+FFFF, unlike code point order. Random strings of such characters, with shared
    /// prefixes, against their UTF-16 code units.
    @Test func stringsOrderByUTF16CodeUnits() throws {
        #expect(try eval(#""😀" < "\uFFFD""#) == .bool(true))
        #expect(try eval(#""\uE000" < "😀""#) == .bool(false))
        #expect(try eval(#"$sort(["\uF8FF", "😀", "z", "é", "\uD7FF"])"#) == ["z", "é", "\u{D7FF}", "😀", "\u{F8FF}"])
        let pieces = ["a", "z", "é", "ÿ", "—", "\u{D7FF}", "\u{E000}", "\u{FFFD}", "😀", "𝄞", "\u{10FFFF}"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let shared = (0..<Int.random(in: 0...3, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            func text() -> String {
                shared + (0..<Int.random(in: 0...4, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            }
            let a = text(), b = text()
            let x = Array(a.utf16), y = Array(b.utf16)
            let expected = x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
            #expect(compareJSStrings(a, b) == expected, "\(a.unicodeScalars.map(\.value)) vs \(b.unicodeScalars.map(\.value))")
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

    /// A literal `$replace` writes ASCII text straight into the result and builds other text from
    /// pieces of the original; both give the reference's results (limits included).
    @Test(arguments: [
        (#"$replace("a\nb\nc\n", "\n", " ")"#, "a b c "),
        (#"$replace("🚀 rocket 🚀 launch", "🚀", "R")"#, "R rocket R launch"),
        (#"$replace("héllo wörld — ok", "o", "0")"#, "héll0 wörld — 0k"),
        (#"$replace("héllo wörld — ok", " ", "—")"#, "héllo—wörld———ok"),
        (#"$replace("aaaa", "a", "bb", 2)"#, "bbbbaa"),
        (#"$replace("日本語のテキスト", "の", "")"#, "日本語テキスト"),
        (#"$replace("hello", "o", "0", 0)"#, "hello"),
        (#"$replace("hello", "xyz", "q")"#, "hello"),
        (#"$substring("🚀 rocket 🚀 launch", 2, 6)"#, "rocket"),
        (#"$substring("héllo wörld — ok", -4)"#, "— ok"),
        (#"$substring("😀😀😀", 1)"#, "😀😀"),
        (#"$substring("héllo", 10, 2)"#, ""),
        (#"$substring("héllo", 1, 1e21)"#, "éllo"),
        (#"$substring("héllo", 0, 0.5)"#, ""),
        (#"$substring("héllo", 0)"#, "héllo"),
    ])
    func literalReplaceAndSubstringKeepEveryCharacter(_ source: String, _ expected: String) throws {
        #expect(try eval(source) == .string(expected))
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

    /// `&` joins short parts by copying their bytes once and long ones by appending: both give
    /// the reference's text, whatever the parts' kinds, lengths and scripts.
    @Test(arguments: [
        (#""a" & 1 & true & {"x":1} & ["b"] & null"#, #"a1true{"x":1}["b"]null"#),
        (#""a" & nothing & "b""#, "ab"),
        (#"nothing & nothing"#, ""),
        (#"1 & 2"#, "12"),
        (#""é" & "🚀" & "—" & "x""#, "é🚀—x"),
        (#""a" & function(){1} & "b""#, "ab"),
        (#""pre-" & $join([1..40].$string(), ",") & "-post""#, "pre-" + (1...40).map(String.init).joined(separator: ",") + "-post"),
        (#"$join($map([1..12], function($i){ "part " & $i & " — " & "ü" }), "")"#, (1...12).map { "part \($0) — ü" }.joined()),
    ])
    func concatenationJoinsEveryPartAsText(_ expression: String, _ expected: String) throws {
        #expect(try JSONata.Expression(expression).evaluate(nil) == .string(expected), "\(expression)")
    }

    @Test func anOperandThatFailsStopsTheJoinWithItsError() {
        let error = #expect(throws: JSONataError.self) { try JSONata.Expression(#""x" & "y" & $string(1/0)"#).evaluate(nil) }
        #expect(error?.code == "D3001")
    }

    /// Joins, literal replacements, slices and date pictures write their text once, without
    /// checking bytes that came from other strings: the results must be ordinary strings in every
    /// way a user could notice (equal, hashed, counted, sliced and cased like the same text typed
    /// in), short or long, ASCII or not.
    @Test(arguments: [
        (#"$replace("— a — b — c — d — e — f —", "—", "-")"#, "- a - b - c - d - e - f -"),
        (#"$replace("a-b-c-d-e-f-g-h-i-j-k", "-", "—")"#, "a—b—c—d—e—f—g—h—i—j—k"),
        (#"$replace("ünïcödé ünïcödé ünïcödé", "ö", "oe")"#, "ünïcoedé ünïcoedé ünïcoedé"),
        (#"$replace("🚀🚀🚀 go 🚀🚀🚀 go 🚀🚀🚀", "🚀", "")"#, " go  go "),
        (#"$replace("x—y", "—", "")"#, "xy"),
        (#"$substring("🚀 launch day — everything ships at once", 2, 20)"#, "launch day — everyth"),
        (#"$substring("abcdefghijklmnopqrstuvwxyz—é", 0, 20)"#, "abcdefghijklmnopqrst"),
        (#"$substring("abcdefghijklmnopqrstuvwxyz—é", 10)"#, "klmnopqrstuvwxyz—é"),
        (#""é" & $join(["x", "y"], "—") & " long enough to be large""#, "éx—y long enough to be large"),
        (#"$join(["αβγ", "δεζ", "ηθι", "κλμ"], " · ")"#, "αβγ · δεζ · ηθι · κλμ"),
        (#""🚀" & "x""#, "🚀x"),
        (#"$fromMillis(0, "[FNn], [D1o] [MNn] [Y0001] — [H01]:[m01]")"#, "Thursday, 1st January 1970 — 00:00"),
    ])
    func textBuiltFromOtherTextIsAnOrdinaryString(_ expression: String, _ expected: String) throws {
        guard case .string(let text)? = try JSONata.Expression(expression).evaluate(nil) else {
            Issue.record("\(expression) gave no string")
            return
        }
        #expect(text == expected, "\(expression)")
        #expect(text.hashValue == expected.hashValue, "\(expression)")
        #expect(Array(text.unicodeScalars) == Array(expected.unicodeScalars), "\(expression)")
        #expect(text.utf16.count == expected.utf16.count, "\(expression)")
        #expect(text.count == expected.count, "\(expression)")
        #expect(text.uppercased() == expected.uppercased(), "\(expression)")
        #expect(String(text.dropFirst().dropLast()) == String(expected.dropFirst().dropLast()), "\(expression)")
        // and used again by the language itself
        let again = try JSONata.Expression("$length($t) & \"/\" & $uppercase($t) & \"/\" & ($t = \(jsonString(expected)))")
            .evaluate(nil, bindings: ["t": .string(text)])
        let uppercased = expected.uppercased()
        #expect(again == .string("\(expected.unicodeScalars.count)/\(uppercased)/true"), "\(expression)")
    }

    /// JavaScript compares strings by code units: "é" (one code point) and "e" followed by a
    /// combining accent are different strings to `=`, `!=`, `in` and `$distinct`, though Swift's
    /// `==` calls them equal. So are they as `JSONValue`s.
    @Test func canonicallyEquivalentTextsAreDifferentStrings() throws {
        let composed = "cl\u{E9}", decomposed = "cle\u{301}"
        func run(_ source: String) throws -> JSONValue? {
            try JSONata.Expression(source).evaluate(nil, bindings: ["c": .string(composed), "d": .string(decomposed)])
        }
        #expect(try run("$c = $d") == .bool(false))
        #expect(try run("$c != $d") == .bool(true))
        #expect(try run("$c = $c") == .bool(true))
        #expect(try run("$c in [$d]") == .bool(false))
        #expect(try run("[$c] = [$d]") == .bool(false))
        #expect(try run("$count($distinct([$c, $d, $c]))") == .number(2))
        // more than 16 items: the kept values are looked up in a set
        #expect(try run("$count($distinct($append([1..17].$string(), [$c, $d, $d])))") == .number(19))
        #expect(JSONValue.string(composed) != JSONValue.string(decomposed))
        #expect(JSONValue.object(["k": .string(composed)]) != JSONValue.object(["k": .string(decomposed)]))
    }

    private func jsonString(_ s: String) -> String { JSONValue.string(s).serialized() }
}

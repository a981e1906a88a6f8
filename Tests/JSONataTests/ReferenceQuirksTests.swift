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

    /// `*` splices an array value into its result with `concat`, which makes the reference's
    /// result a plain array from then on: a single value left is not unwrapped, and an object
    /// whose only values are empty arrays gives an empty array.
    static let wildcardAfterAnArrayValue: [Case] = [
        Case(expression: #"{"t": [], "v": 3}.*"#, expected: [3]),
        Case(expression: #"{"v": 3, "t": []}.*"#, expected: [3]),
        Case(expression: #"{"t": []}.*"#, expected: []),
        Case(expression: #"[{"t": [], "v": 3}].*"#, expected: [3]),
        Case(expression: #"{"a": {"t": ["a"]}}.a.*"#, expected: ["a"]),
        // unchanged: no array value, several items, or more steps after it
        Case(expression: #"{"v": 3}.*"#, expected: 3),
        Case(expression: #"[{"t": [], "v": 3}, {"v": 4}].*"#, expected: [3, 4]),
        Case(expression: #"{"t": [], "v": {"y": 1}}.*.y"#, expected: 1),
        Case(expression: #"$count({"t": [], "v": 3}.*)"#, expected: 1),
    ]

    @Test(arguments: wildcardAfterAnArrayValue)
    func aWildcardAfterAnArrayValueGivesAnArray(_ c: Case) throws {
        #expect(try JSONata.Expression(c.expression).evaluate(nil) == c.expected)
    }

    /// A path whose last step finds one array, and nothing else, gives that array even when it
    /// is empty; several arrays found are spliced, so empty ones then leave nothing.
    static let emptyArrayFoundLast: [(String, String, String?)] = [
        ("d.b", #"{"d": [{"b": []}]}"#, "[]"),
        ("d.b", #"{"d": [{"b": []}, {"c": 1}]}"#, "[]"),
        (#"{"x": d.b}"#, #"{"d": [{"b": []}]}"#, #"{"x": []}"#),
        ("$exists(d.b)", #"{"d": [{"b": []}]}"#, "true"),
        ("a[]", #"{"a": []}"#, "[]"),
        ("d.b[]", #"{"d": [{"b": []}]}"#, "[]"),
        // unchanged
        ("d.b", #"{"d": [{"b": []}, {"b": []}]}"#, nil),
        ("d.b.c", #"{"d": [{"b": []}]}"#, nil),
        ("d.b", #"{"d": [{"b": [1]}]}"#, "[1]"),
        ("$count(d.b)", #"{"d": [{"b": []}]}"#, "0"),
    ]

    @Test(arguments: emptyArrayFoundLast)
    func aLoneEmptyArrayFoundLastIsTheResult(_ expression: String, _ data: String, _ expected: String?) throws {
        let result = try JSONata.Expression(expression).evaluate(try JSONValue(parsing: data))
        #expect(result == (try expected.map { try JSONValue(parsing: $0) }), "\(expression) over \(data)")
    }

    /// `$spread` splices with `concat` too: an array with items gives a plain array, so one
    /// object spread from an array stays in an array. `$keys` gathers keys from arrays nested
    /// at any depth.
    static let spreadAndKeys: [Case] = [
        Case(expression: #"$spread([{"a": 1}])"#, expected: [["a": 1]]),
        Case(expression: #"$spread([[]])"#, expected: []),
        Case(expression: #"$spread([false])"#, expected: [false]),
        Case(expression: #"$spread([{"a": 1}, {"b": 2, "c": 3}])"#, expected: [["a": 1], ["b": 2], ["c": 3]]),
        Case(expression: #"$spread({"a": 1})"#, expected: ["a": 1]),
        Case(expression: #"$spread([])"#, expected: nil),
        Case(expression: #"$keys([[{"a": 1}], [[{"b": 2}]], {"a": 3}])"#, expected: ["a", "b"]),
        Case(expression: #"$keys([[{"a": 1}]])"#, expected: "a"),
    ]

    @Test(arguments: spreadAndKeys)
    func spreadAndKeysOverArraysAnswerLikeTheReference(_ c: Case) throws {
        #expect(try JSONata.Expression(c.expression).evaluate(nil) == c.expected)
    }

    /// Regular expressions mean what they mean in JavaScript (without the `u` flag): `\w`, `\d`
    /// and `\b` are ASCII, `\s` is JavaScript's list of spaces, `[\b]` is a backspace; and a
    /// search that goes on from an earlier match still reads the text before it, so `^` is the
    /// start of the text and lookbehind sees back past the offset.
    static let javaScriptRegexes: [Case] = [
        Case(expression: ##"$replace("héllo", /(\w)(\w)/, "$2$1")"##, expected: "héllo"),
        Case(expression: ##"$match("naïve café", /\b\w/).match"##, expected: ["n", "v", "c"]),
        Case(expression: ##"$replace("٣4५6", /\d/, "#")"##, expected: "٣#५#"),
        Case(expression: ##"$split("a\u000bb\ufeffc d", /\s/)"##, expected: ["a", "b", "c", "d"]),
        Case(expression: ##"$replace("x-y z", /[\w-]+/, "#")"##, expected: "# #"),
        Case(expression: ##"$replace("a\bb", /[\b]/, "#")"##, expected: "a#b"),
        Case(expression: ##"$split("a1b22c", /\D/)"##, expected: ["", "1", "22", ""]),
        Case(expression: ##"$replace("abc", /^./, "#")"##, expected: "#bc"),
        Case(expression: ##"$replace("aaa", /(?<=a)a/, "#")"##, expected: "a##"),
        Case(expression: ##"$replace("  a b", /^\s+/, "")"##, expected: "a b"),
        Case(expression: ##"$match("ab ab", /\bb/)"##, expected: nil),
    ]

    @Test(arguments: javaScriptRegexes)
    func regexesMeanWhatTheyMeanInJavaScript(_ c: Case) throws {
        #expect(try JSONata.Expression(c.expression).evaluate(nil) == c.expected)
    }

    /// A transform's clauses are evaluated and checked for every match, even one that is not an
    /// object (which has nothing to update): a non-object update is T2011, a non-string deletion
    /// T2012, as in the reference. (An object update of such a match, a JavaScript TypeError in
    /// the reference, leaves it as it is.)
    @Test func transformClausesAreCheckedForMatchesThatAreNotObjects() throws {
        let input: JSONValue = ["a": 3]
        do {
            _ = try JSONata.Expression(#"$ ~> |a|5|"#).evaluate(input)
            Issue.record("a numeric update over a number match must fail")
        } catch let error as JSONataError {
            #expect(error.code == "T2011")
        }
        do {
            _ = try JSONata.Expression(#"$ ~> |a|{}, 5|"#).evaluate(input)
            Issue.record("a numeric deletion over a number match must fail")
        } catch let error as JSONataError {
            #expect(error.code == "T2012")
        }
        #expect(try JSONata.Expression(#"$ ~> |a|{}, "q"|"#).evaluate(input) == input)
        #expect(try JSONata.Expression(#"$ ~> |a|{"x": 1}|"#).evaluate(input) == input)
        #expect(try JSONata.Expression(#"$ ~> |a.b|{"x": 1}|"#).evaluate(["a": [["b": 1], ["b": ["c": 2]]]])
            == ["a": [["b": 1], ["b": ["c": 2, "x": 1]]]])
    }

    @Test(arguments: filteredConstructorThenPath)
    func filteredArrayConstructorStartingAPath(_ test: Case) throws {
        #expect(try JSONata.Expression(test.expression).evaluate(nil) == test.expected)
    }

    @Test func substringWithoutAStartButWithALengthIsEmpty() throws {
        #expect(try JSONata.Expression(#"$substring("Hello World", nothing, 5)"#).evaluate(nil) == .string(""))
        #expect(try JSONata.Expression(#"$substring("Hello World", nothing)"#).evaluate(nil) == .string("Hello World"))
    }

    @Test func stringWritesIntegersInFullAndRoundsOnlyFractions() throws {
        #expect(try JSONata.Expression("$string(123456789012345678)").evaluate(nil) == .string("123456789012345680"))
        #expect(try JSONata.Expression("$string(1234567890123456789012)").evaluate(nil) == .string("1.2345678901234568e+21"))
        #expect(try JSONata.Expression("$string([123456789012345678])").evaluate(nil) == .string("[123456789012345680]"))
        #expect(try JSONata.Expression("$string(123456789.123456789)").evaluate(nil) == .string("123456789.123457"))
    }

    @Test func inMatchesArraysAndObjectsByIdentityLikeTheReference() throws {
        let data: JSONValue = ["a": ["x": 1], "b": [["x": 1]], "repository": ["name": "baton"]]
        #expect(try JSONata.Expression("repository in [repository]").evaluate(data) == .bool(true))
        #expect(try JSONata.Expression("repository in [$.repository, 1]").evaluate(data) == .bool(true))
        // Equal but distinct objects are not the same object.
        #expect(try JSONata.Expression("a in b").evaluate(data) == .bool(false))
        #expect(try JSONata.Expression(#"{"a": 1} in [{"a": 1}]"#).evaluate(nil) == .bool(false))
        #expect(try JSONata.Expression("[] in [[]]").evaluate(nil) == .bool(false))
        #expect(try JSONata.Expression("[1, 2] in [[1, 2]]").evaluate(nil) == .bool(false))
    }

    @Test func aFilteredLiteralIsFilteredWhereverItAppears() throws {
        #expect(try JSONata.Expression("$string(3[false])").evaluate(nil) == nil)
        #expect(try JSONata.Expression("(3[{}] and 0.5)").evaluate(nil) == .bool(false))
        #expect(try JSONata.Expression(#""w" & "abc"[false]"#).evaluate(nil) == .string("w"))
        #expect(try JSONata.Expression(#"{"k": 5[3]}"#).evaluate(nil) == .object([:]))
        #expect(try JSONata.Expression(#"{"k": 5[0]}"#).evaluate(nil) == ["k": 5])
        // A filtered key too: an undefined key leaves its pair out.
        #expect(try JSONata.Expression(#"{"a"[false]: 1, "b": 2}"#).evaluate(nil) == ["b": 2])
        #expect(try JSONata.Expression(#"[1, 2]{"a"[false]: $}"#).evaluate(nil) == .object([:]))
        #expect(try JSONata.Expression(#"[1, 2]{"a"[true]: $}"#).evaluate(nil) == ["a": [1, 2]])
        // Except as an index: the reference takes a number literal there as it is.
        #expect(try JSONata.Expression("[1, 2, 3][2[false]]").evaluate(nil) == .number(3))
    }

    /// An array of indexes as a predicate keeps items in their own order, each as many times as
    /// the list names it; indexes out of range are ignored.
    static let indexLists: [Case] = [
        Case(expression: #"["a","b","c","d","e"][[0..2]]"#, expected: ["a", "b", "c"]),
        Case(expression: #"["a","b","c","d","e"][[0,0,1]]"#, expected: ["a", "a", "b"]),
        Case(expression: #"["a","b","c","d","e"][[4,0]]"#, expected: ["a", "e"]),
        Case(expression: #"["a","b","c","d","e"][[-10..10]]"#, expected: ["a", "a", "b", "b", "c", "c", "d", "d", "e", "e"]),
        Case(expression: #"["a","b","c"][[1.7]]"#, expected: "b"),
        Case(expression: #"["a","b","c"][[2..0]]"#, expected: nil),
        Case(expression: #"["a","b","c"][[10..12]]"#, expected: nil),
        Case(expression: #"($i := [0,0]; ["a","b"][$i])"#, expected: ["a", "a"]),
    ]

    @Test(arguments: indexLists)
    func indexListsKeepItemOrderAndRepeats(_ test: Case) throws {
        #expect(try JSONata.Expression(test.expression).evaluate(nil) == test.expected)
    }

    /// Parentheses around one expression evaluate as the expression does (and are compiled away
    /// where nothing reads them), except where the parent treats a block differently: an array
    /// item in parentheses is flattened, a parenthesised right side of `~>` is a function value
    /// to apply, and a parenthesised procedure is called without a name.
    static let parentheses: [Case] = [
        Case(expression: #"[(1), (2), ([3])]"#, expected: [1, 2, 3]),
        Case(expression: #"[([1,2]), [3]]"#, expected: [1, 2, [3]]),
        Case(expression: ##"[{"n":"a"},{"n":"b"}].("#" & n)"##, expected: ["#a", "#b"]),
        Case(expression: #"[{"v":1},{"v":2}].(v > 1 ? "big" : "small")"#, expected: ["small", "big"]),
        Case(expression: #"[{"v":1},{"v":2}].({"x": v}).x"#, expected: [1, 2]),
        Case(expression: #"[{"v":1},{"v":2}][(v = 2)]"#, expected: ["v": 2]),
        Case(expression: #""ab" ~> ($substring(?, 1))"#, expected: "b"),
        Case(expression: #""ab" ~> ($uppercase)"#, expected: "AB"),
        Case(expression: #"($uppercase)("x")"#, expected: "X"),
        Case(expression: #"-(2)"#, expected: -2),
    ]

    @Test(arguments: parentheses)
    func parenthesesChangeOnlyWhatTheirParentReads(_ test: Case) throws {
        #expect(try JSONata.Expression(test.expression).evaluate(nil) == test.expected)
    }

    /// A regex literal that only a matching built-in sees is made once; any other evaluation of
    /// one still makes a function value of its own, which equals no other (as in the reference).
    static let regexValues: [Case] = [
        Case(expression: #"($f := function(){ /a/ }; $f() = $f())"#, expected: false),
        Case(expression: #"($r := /a/; $r = $r)"#, expected: true),
        Case(expression: #"$count($distinct($map([1,2], function($x){ /a/ })))"#, expected: 2),
        Case(expression: #"["feat: a", "fix: b", "feat: c"][$contains($, /^feat/)]"#, expected: ["feat: a", "feat: c"]),
        Case(expression: #"["a-b", "c-d"].$replace($, /-/, "+")"#, expected: ["a+b", "c+d"]),
        Case(expression: #"["a1b", "c2d"].$split($, /[0-9]/)"#, expected: ["a", "b", "c", "d"]),
    ]

    @Test(arguments: regexValues)
    func regexLiteralsAreNewValuesWhereAnyoneCouldTell(_ test: Case) throws {
        #expect(try JSONata.Expression(test.expression).evaluate(nil) == test.expected)
    }
}

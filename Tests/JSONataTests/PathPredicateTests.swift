import Testing

@testable import JSONata

/// A name step with predicates reached through single objects (`contacts[type = "x"]` of
/// `sender.profile.contacts[type = "x"].value`) is filtered directly by the path's head walk; these
/// pin that it answers as the general path steps do. Every expected value is jsonata-js 2.x's
/// answer over the same data.
struct PathPredicateTests {
    static let data = #"{"a":{"b":{"c":[{"t":"x","v":1,"p":true},{"t":"y","v":2,"p":false},{"t":"x","v":[3,4],"p":true}],"d":{"t":"x","v":9},"e":[],"f":[[{"t":"x","v":5}],{"t":"y","v":6}],"s":"str","n":[1,2,3,4]}}}"#

    /// An expression and the reference's result as JSON text (`nil` = undefined).
    static let cases: [(String, String?)] = [
        (#"a.b.c[t = "x"].v"#, #"[1,3,4]"#),
        (#"a.b.c[t = "x"]"#, #"[{"t":"x","v":1,"p":true},{"t":"x","v":[3,4],"p":true}]"#),
        (#"a.b.c[t = "x"][0].v"#, #"1"#),
        (#"a.b.c[t = "x"][-1].v"#, #"[3,4]"#),
        (#"a.b.c[t="zz"].v"#, nil),
        (#"a.b.d[t = "x"].v"#, #"9"#),
        (#"a.b.e[true].v"#, nil),
        (#"a.b.f[t = "x"].v"#, #"5"#),
        (#"a.b.f[true].t"#, #"["x","y"]"#),
        (#"a.b.s[true].x"#, nil),
        (#"a.b.n[$ > 2].x"#, nil),
        (#"a.b.n[$ > 1][0]"#, #"2"#),
        (#"a.b.c[t = "x"]#$i.v"#, #"[1,3,4]"#),
        (#"a.b.c[t = "x"].v[]"#, #"[1,3,4]"#),
        (#"a.b.c[t = "x"]{t: v}"#, #"{"x":[1,3,4]}"#),
        (#"a.b.c[t="x"].%.t"#, nil),
        (#"a.b.c[v][t="x"].v"#, nil),
        (#"a.b.c[t = "x"].**.w"#, nil),
        (#"$count(a.b.c[t = "x"].v)"#, #"3"#),
        (#"a.b.c[t = "x"].v[1]"#, #"4"#),
        (#"a.b.c[v = [3,4]].t"#, #""x""#),
        (#"a.b.c[0][t = "x"].v"#, #"1"#),
        (#"a.b.missing[t = "x"].v"#, nil),
        // the filtered step last on the path
        (#"a.b.c[p]"#, #"[{"t":"x","v":1,"p":true},{"t":"x","v":[3,4],"p":true}]"#),
        (#"a.b.c[t = "x"][-1]"#, #"{"t":"x","v":[3,4],"p":true}"#),
        (#"a.b.f[true]"#, #"[[{"t":"x","v":5}],{"t":"y","v":6}]"#),
        (#"a.b.f[t="x"]"#, #"[{"t":"x","v":5}]"#),
        (#"a.b.f[0][0]"#, #"{"t":"x","v":5}"#),
        (#"a.b.n[$ > 2]"#, #"[3,4]"#),
        (#"a.b.s[true]"#, #""str""#),
        (#"a.b.d[t = "x"]"#, #"{"t":"x","v":9}"#),
        (#"a.b.e[true]"#, nil),
        (#"a.b.c[t = "x"][]"#, #"[{"t":"x","v":1,"p":true},{"t":"x","v":[3,4],"p":true}]"#),
        (#"$count(a.b.c[t = "x"])"#, #"2"#),
        (#"$exists(a.b.c[t = "q"])"#, #"false"#),
        (#"{"k": a.b.c[t = "x"]}"#, #"{"k":[{"t":"x","v":1,"p":true},{"t":"x","v":[3,4],"p":true}]}"#),
        (#"[a.b.c[t = "x"]]"#, #"[{"t":"x","v":1,"p":true},{"t":"x","v":[3,4],"p":true}]"#),
        (#"a.b.c[v = [3,4]]"#, #"{"t":"x","v":[3,4],"p":true}"#),
        (#"a.b.n[$ > 1][[0,1]]"#, #"[2,3]"#),
        // one element kept, carried on by itself
        (#"a.b.c[t = "y"].v"#, #"2"#),
        (#"a.b.c[t = "y"]"#, #"{"t":"y","v":2,"p":false}"#),
        (#"a.b.c[t = "y"].v[]"#, #"[2]"#),
        (#"a.b.c[t = "y"].(v + 1)"#, #"3"#),
        (#"a.b.c[t = "y"].t.$uppercase()"#, #""Y""#),
        (#"a.b.c[$not(p)].v"#, #"2"#),
        (#"a.b.f[t = "y"].v"#, #"6"#),
        (#"a.b.n[$ = 3]"#, #"3"#),
        (#"a.b.n[$ = 3].x"#, nil),
        (#"$count(a.b.c[t = "y"])"#, #"1"#),
        (#"a.b.c[v = 2]#$i.t"#, #""y""#),
        (#"a.b.c[t = "y"][0].v"#, #"2"#),
    ]

    @Test(arguments: cases)
    func predicateStepsAnswerLikeTheReference(_ expression: String, _ expected: String?) throws {
        let input = try JSONValue(parsing: Self.data)
        let result = try JSONata.Expression(expression).evaluate(input)
        #expect(result == (try expected.map { try JSONValue(parsing: $0) }), "\(expression)")
    }

    /// The member is one object, not an array: the predicate keeps it or not.
    @Test func aSingleObjectMemberIsFilteredAsAnItem() throws {
        let input = try JSONValue(parsing: #"{"a":{"b":{"c":{"t":"x","v":1}}}}"#)
        #expect(try JSONata.Expression(#"a.b.c[t = "x"].v"#).evaluate(input) == .number(1))
        #expect(try JSONata.Expression(#"a.b.c[t = "y"].v"#).evaluate(input) == nil)
    }

    /// An error in a predicate is the predicate's, with its position.
    @Test func aPredicateErrorKeepsItsCodeAndPosition() throws {
        let input = try JSONValue(parsing: Self.data)
        #expect {
            try JSONata.Expression(#"a.b.c[p][v > 1].v"#).evaluate(input)
        } throws: { error in
            guard let error = error as? JSONataError else { return false }
            return error.code == "T2010" && error.position == 12
        }
    }
}

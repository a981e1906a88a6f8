import Testing

@testable import JSONata

/// `$map`, `$filter`, `$reduce` and `$sort` run a lambda in one scope reused from call to call
/// while nothing keeps it; these pin that every call still sees what a scope of its own would
/// give: closures made in the body keep their own call's values, names bound in one call are
/// gone in the next, and tail calls, signatures and recursion behave as before. Every expected
/// value is jsonata-js 2.2.1's answer.
struct HigherOrderScopeTests {
    /// An expression and the reference's result as JSON text (`nil` = undefined).
    static let cases: [(String, String?)] = [
        (#"$map([1,2,3], function($x){ $y := $x })"#, #"[1,2,3]"#),
        (#"$map([1,2,3], function($x, $i){ $i = 0 ? ($y := $x) : $y })"#, #"1"#),
        (#"($y := 10; $map([1,2,3], function($x, $i){ $i = 0 ? ($y := $x) : $y }))"#, #"[1,10,10]"#),
        (#"$reduce([1,2,3], function($a, $b){ $sum([$a, $b]) })"#, #"6"#),
        (#"$reduce([1,2,3,4], function($a, $b, $i, $arr){ $a + $count($arr) })"#, #"13"#),
        (#"$reduce([1,2,3], function($a, $b, $i, $arr, $extra){ [$a, $b, $extra] })"#, #"[1,2,3]"#),
        (#"($f := function($n){ $n > 0 ? $sum($map([1, 2], function($k){ $f($n - 1) })) + 1 : 0 }; $f(3))"#, #"7"#),
        (#"$map([1,2,3], function($x){ $map([10,20], function($y){ $x + $y }) })"#, #"[[11,21],[12,22],[13,23]]"#),
        (#"($fs := $map([1,2,3], function($x){ function(){ $x } }); $map($fs, function($f){ $f() }))"#, #"[1,2,3]"#),
        (#"($cs := $map([1,2,3], function($x){ {"get": function(){ $x }} }); $cs.get())"#, #"[1,2,3]"#),
        (#"$map([1,2], function($x)<n:n>{ $x * 2 })"#, #"[2,4]"#),
        (#"$map([1,2,3], function($a,$b,$c,$d){ [$a,$b,$d] })"#, #"[[1,0],[2,1],[3,2]]"#),
        (#"$filter([1,2,3,4], function($x, $i, $arr){ $x > $count($arr) / 2 })"#, #"[3,4]"#),
        (#"($byK := {"x": 3, "y": 1, "z": 2}; $sort($keys($byK), function($a, $b){ $lookup($byK, $a) < $lookup($byK, $b) }))"#, #"["x","z","y"]"#),
        (#"$map([{"a":1}], function($o){ $o ~> |$|{"b": 2}| })"#, #"{"a":1,"b":2}"#),
        (#"$map([0,1,5], function($x){ ($f := function($y){ $y < 3 ? $f($y + 1) : $y }; $f($x)) })"#, #"[3,3,5]"#),
    ]

    @Test(arguments: cases)
    func everyCallSeesAScopeOfItsOwn(_ expression: String, _ expected: String?) throws {
        let result = try JSONata.Expression(expression).evaluate(nil)
        #expect(result == (try expected.map { try JSONValue(parsing: $0) }), "\(expression)")
    }

    @Test func anErrorInOneCallStopsTheLoopWithTheReferenceCode() throws {
        let error = #expect(throws: JSONataError.self) {
            try JSONata.Expression(#"$map([1,"a"], function($x){ $x + 1 })"#).evaluate(nil)
        }
        #expect(error?.code == "T2001")
    }

    /// A lambda whose body ends in a call of a built-in answers it in place rather than through a
    /// tail-call thunk; results, and an error's code, message and position, are what they were.
    @Test(arguments: [
        (#"$map(["a","b"], function($s){ $uppercase($s) })"#, #"["A","B"]"#),
        (#"$map([1,2], function($x){ $x > 1 ? $string($x) : $number("5") })"#, #"[5,"2"]"#),
        (#"$map([1,2], function($x){ ($y := $x * 2; $string($y)) })"#, #"["2","4"]"#),
        (#"($f := function($n){ $n > 0 ? $f($n - 1) : $string($n) }; $f(3))"#, #""0""#),
    ])
    func aBuiltInInTailPositionAnswersInPlace(_ expression: String, _ expected: String) throws {
        #expect(try JSONata.Expression(expression).evaluate(nil) == (try JSONValue(parsing: expected)), "\(expression)")
    }

    @Test func aBuiltInInTailPositionReportsItsErrorAsElsewhere() throws {
        func failure(_ source: String) -> JSONataError? {
            #expect(throws: JSONataError.self) { try JSONata.Expression(source).evaluate(nil) }
        }
        let tail = failure(#"(function($x){ $substring($x, "a") })("abc")"#)
        let inner = failure(#"(function($x){ 0 & $substring($x, "a") })("abc")"#)
        #expect(tail?.code == "T0410")
        #expect(tail?.message == inner?.message)
        // the same call, four characters further along
        #expect(tail.map { $0.position + 4 } == inner?.position)
    }
}

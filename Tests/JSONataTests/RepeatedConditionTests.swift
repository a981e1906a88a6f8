import Foundation
import Testing

@testable import JSONata

/// `test ? test : other` (the idiom from before `?:`) evaluates `test` once when its parts always
/// give the same value; these pin the results, which expressions qualify, and that functions
/// which may answer differently each time are still called twice.
struct RepeatedConditionTests {
    /// Counts the calls of a host function and answers with the count.
    final class Calls: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            count += 1
            return count
        }
    }

    static let data = #"{"o":{"a":3,"b":0},"k":"a","n":{"m":{"x":"y"}}}"#

    @Test(arguments: [
        (#"$lookup(o, k) ? $lookup(o, k) : 0"#, "3"),
        (#"$lookup(o, "b") ? $lookup(o, "b") : 7"#, "7"),
        (#"$lookup(o, "zz") ? $lookup(o, "zz") : "none""#, #""none""#),
        (#"n.m.x ? n.m.x : "-""#, #""y""#),
        (#"o.a + 1 ? o.a + 1 : 0"#, "4"),
        (#"$string(o.a) & k ? $string(o.a) & k : """#, #""3a""#),
    ])
    func theIdiomGivesTheTestsValue(_ source: String, _ expected: String) throws {
        let input = try JSONValue(parsing: Self.data)
        #expect(try JSONata.Expression(source).evaluate(input) == JSONValue(parsing: expected), "\(source)")
    }

    /// Which conditions are marked: only a then-branch that is the test again, of repeatable parts.
    @Test(arguments: [
        (#"$lookup(o, k) ? $lookup(o, k) : 0"#, true),
        (#"a.b ? a.b : 0"#, true),
        (#"$x ? $x : 0"#, true),
        (#"$lookup(o, k) ? $lookup(o, "k") : 0"#, false),
        (#"a.b ? a.c : 0"#, false),
        (#"a[0] ? a[0] : 0"#, false),
        (#"$random() ? $random() : 0"#, false),
        (#"$eval("1") ? $eval("1") : 0"#, false),
        (#"$f(1) ? $f(1) : 0"#, false),
        (#"[1] ? [1] : 0"#, false),
    ])
    func onlyRepeatableTestsAreEvaluatedOnce(_ source: String, _ marked: Bool) throws {
        let root = try JSONata.Expression(source).root
        #expect(root.kind == .condition && root.thenRepeatsTest == marked, "\(source)")
    }

    /// A host function may answer differently each call: it is called for the test and again for
    /// the branch, also when it takes a built-in's name.
    @Test(arguments: ["next", "lookup"])
    func hostFunctionsAreCalledForTestAndBranch(_ name: String) throws {
        let calls = Calls()
        let function = HostFunction(name: name) { _ in .number(Double(calls.next())) }
        let source = "$\(name)(1) ? $\(name)(1) : 0"
        #expect(try JSONata.Expression(source, functions: [function]).evaluate(nil) == .number(2))
    }
}

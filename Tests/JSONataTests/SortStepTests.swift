import Testing

@testable import JSONata

/// The order-by step (`xs^(>n)`): one term whose values are all numbers or all strings is sorted
/// on values worked out up front; anything else takes the general comparison. These pin that both
/// give the reference's order, ties, undefined values and errors. Every expected value is
/// jsonata-js 2.x's answer over the same data.
struct SortStepTests {
    static let data = #"{"xs":[{"n":3,"s":"b"},{"n":1,"s":"a"},{"n":2,"s":"c"},{"n":1,"s":"é"},{"s":"d"},{"n":10,"s":"B"},{"n":-1,"s":"😀"},{"n":1.5,"s":"\uffff"}]}"#

    /// An expression and the reference's result as JSON text (`nil` = undefined).
    static let cases: [(String, String?)] = [
        (#"xs^(n).n"#, #"[-1,1,1,1.5,2,3,10]"#),
        (#"xs^(>n).n"#, #"[10,3,2,1.5,1,1,-1]"#),
        (#"xs^(<n).s"#, #"["😀","a","é","\uffff","c","b","B","d"]"#),
        (#"xs^(s).s"#, #"["B","a","b","c","d","é","😀","\uffff"]"#),
        (#"xs^(>s).s"#, #"["\uffff","😀","é","d","c","b","a","B"]"#),
        (#"xs^(>n, s).s"#, #"["B","b","c","\uffff","a","é","😀","d"]"#),
        (#"xs^(n, >s).s"#, #"["😀","é","a","\uffff","c","b","B","d"]"#),
        (#"xs#$i^(>n).[$i, n]"#, #"[5,10,0,3,2,2,7,1.5,1,1,3,1,6,-1,4]"#),
        (#"xs^(>n)#$i.[$i, s]"#, #"[0,"B",1,"b",2,"c",3,"\uffff",4,"a",5,"é",6,"😀",7,"d"]"#),
        (#"xs@$x^(n).$x.s"#, #"["b","a","c","é","d","B","😀","\uffff"]"#),
        (#"xs^(-n).n"#, #"[10,3,2,1.5,1,1,-1]"#),
        (#"xs^($string(n)).n"#, #"[-1,1,1,1.5,10,2,3]"#),
        (#"xs^(m).m"#, nil),
        (#"xs^(n).{"n": n}"#, #"[{"n":-1},{"n":1},{"n":1},{"n":1.5},{"n":2},{"n":3},{"n":10},{}]"#),
        (#"xs^(>n)[-1].s"#, #""d""#),
        (#"xs^($length(s)).s"#, #"["b","a","c","é","d","B","😀","\uffff"]"#),
        (#"xs^(x.y).n"#, #"[3,1,2,1,10,-1,1.5]"#),
        (#"xs^($abs(n)).n"#, #"[1,1,-1,1.5,2,3,10]"#),
        (#"[xs^(n).s]"#, #"["😀","a","é","\uffff","c","b","B","d"]"#),
    ]

    @Test(arguments: cases)
    func sortStepsOrderLikeTheReference(_ expression: String, _ expected: String?) throws {
        let input = try JSONValue(parsing: Self.data)
        let result = try JSONata.Expression(expression).evaluate(input)
        #expect(result == (try expected.map { try JSONValue(parsing: $0) }), "\(expression)")
    }

    /// Values that cannot be ordered, and a term that fails, raise the reference's errors.
    @Test(arguments: [
        (#"{"xs":[{"n":3},{"n":"3"},{"n":1}]}"#, "xs^(n).n", "T2007"),
        (#"{"xs":[{"n":true},{"n":1}]}"#, "xs^(>n).n", "T2008"),
        (#"{"xs":[{"n":[1]},{"n":2}]}"#, "xs^(n).n", "T2008"),
        (#"{"xs":[{"n":null},{"n":1}]}"#, "xs^(n).n", "T2008"),
        (#"{"xs":[{"n":1},{"n":2}]}"#, "xs^($undefinedfn(n)).n", "T1006"),
    ])
    func unorderableValuesRaiseTheReferenceErrors(_ data: String, _ expression: String, _ code: String) throws {
        let input = try JSONValue(parsing: data)
        #expect {
            try JSONata.Expression(expression).evaluate(input)
        } throws: { error in
            (error as? JSONataError)?.code == code
        }
    }
}

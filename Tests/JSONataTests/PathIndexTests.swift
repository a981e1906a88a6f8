import Testing

@testable import JSONata

/// A name step with a literal index (`commits[0]`, `commits[-1].author.name`) or a literal index
/// list (`topics[[0..2]]`) is taken directly by the path's head walk; these pin that it answers
/// as the general path steps do. Every expected value is jsonata-js 2.2.1's answer over the same data.
struct PathIndexTests {
    static let data = #"{"commits":[{"id":"a1","author":{"name":"Ada"}},{"id":"b2","author":{"name":"Grace"}}],"release":{"assets":{"name":"one.zip"}},"nested":[[1,2],[3]],"tags":"x","empty":[]}"#

    /// An expression and the reference's result as JSON text (`nil` = undefined).
    static let cases: [(String, String?)] = [
        (#"commits[0].id"#, #""a1""#),
        (#"commits[-1].author.name"#, #""Grace""#),
        (#"commits[1.7].author.name"#, #""Grace""#),
        (#"commits[-0.5].id"#, #""b2""#),
        (#"commits[2].id"#, nil),
        (#"$count(commits[5])"#, #"0"#),
        (#"commits[0]"#, #"{"id":"a1","author":{"name":"Ada"}}"#),
        (#"release.assets[0].name"#, #""one.zip""#),
        (#"release.assets[-1].name"#, #""one.zip""#),
        (#"release.assets[1].name"#, nil),
        (#"nested[0]"#, #"[1,2]"#),
        (#"nested[-1][0]"#, #"3"#),
        (#"tags[0]"#, #""x""#),
        (#"tags[-1]"#, #""x""#),
        (#"tags[1]"#, nil),
        (#"empty[0]"#, nil),
        (#"$exists(empty[-1])"#, #"false"#),
        (#"(commits[0])[]"#, #"{"id":"a1","author":{"name":"Ada"}}"#),
        (#"commits[0][]"#, #"[{"id":"a1","author":{"name":"Ada"}}]"#),
        (#"commits[0].author[]"#, #"[{"name":"Ada"}]"#),
        (#"commits[0]{id: author.name}"#, #"{"a1":"Ada"}"#),
        (#"commits[0].%.commits[1].id"#, #""b2""#),
        (#"commits[-1] ? 1 : 2"#, #"1"#),
        (#"commits[9] ?? 42"#, #"42"#),
        // index lists known when compiling, selected in item order as often as named
        (#"commits[[0,1]].id"#, #"["a1","b2"]"#),
        (#"commits[[1,0,0]].id"#, #"["a1","a1","b2"]"#),
        (#"commits[[5..7]].id"#, nil),
        (#"commits[[-1]].author.name"#, #""Grace""#),
        (#"$count(commits[[0..1000]])"#, #"2"#),
        (#"nested[[0,1]]"#, #"[[1,2],[3]]"#),
        (#"nested[[1]]"#, #"[3]"#),
        (#"commits[[0]][]"#, #"[{"id":"a1","author":{"name":"Ada"}}]"#),
        (#"release.assets[[0]].name"#, #""one.zip""#),
    ]

    @Test(arguments: cases)
    func literalIndexStepsAnswerLikeTheReference(_ expression: String, _ expected: String?) throws {
        let input = try JSONValue(parsing: Self.data)
        let result = try JSONata.Expression(expression).evaluate(input)
        #expect(result == (try expected.map { try JSONValue(parsing: $0) }), "\(expression)")
    }
}

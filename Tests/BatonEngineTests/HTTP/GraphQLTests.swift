import Hummingbird
import JSONata
import Testing
@testable import BatonEngine

/// GraphQL requests and their `errors`.
@Suite struct GraphQLTests {
    @Test func postsQueryVariablesAndOperationName() async throws {
        try await withTestServer({ router, _ in
            router.post("/graphql") { _, _ in reply(.ok, #"{"data":{"viewer":{"login":"ada"}}}"#) }
        }) { base, log, client in
            let call = GraphQLCall(url: base + "/graphql", query: "query Me($n: Int) { viewer { login } }",
                                   variables: ["n": 1], operationName: "Me", auth: .bearer(token: "gh-token"))
            let result = try await client.graphQL(call)
            #expect(result.output["body"]?["data"]?["viewer"]?["login"] == "ada")
            let seen = try #require(log.last(path: "/graphql"))
            #expect(seen.method == "POST")
            #expect(seen.header("Content-Type") == "application/json")
            #expect(seen.header("Authorization") == "Bearer gh-token")
            #expect(try JSONValue(parsing: seen.body) == [
                "query": "query Me($n: Int) { viewer { login } }", "variables": ["n": 1], "operationName": "Me",
            ])
        }
    }

    @Test func errorsArrayIsAStepError() async throws {
        try await withTestServer({ router, _ in
            router.post("/graphql") { _, _ in
                reply(.ok, #"{"data":{"repo":null},"errors":[{"message":"Could not resolve to a Repository with the name 'x'.","path":["repo"],"type":"NOT_FOUND"}]}"#)
            }
        }) { base, _, client in
            let error = await #expect(throws: StepCallError.self) {
                try await client.graphQL(GraphQLCall(url: base + "/graphql", query: "{ repo { id } }"))
            }
            #expect(error?.code == "graphql")
            #expect(error?.message == "the GraphQL request to \(base)/graphql returned an error: Could not resolve to a Repository with the name 'x'. (at repo); check the query and variables against the API's schema")
            guard case .graphql(let errors)? = error?.kind else { Issue.record("not a graphql error"); return }
            #expect(errors.first?["type"] == "NOT_FOUND")
            #expect(error.map(RetryClassifier().isRetryable) == false)
        }
    }

    @Test func emptyErrorsArrayIsSuccess() async throws {
        try await withTestServer({ router, _ in
            router.post("/graphql") { _, _ in reply(.ok, #"{"data":{"ok":true},"errors":[]}"#) }
        }) { base, _, client in
            let result = try await client.graphQL(GraphQLCall(url: base + "/graphql", query: "{ ok }"))
            #expect(result.body?["data"]?["ok"] == true)
        }
    }
}

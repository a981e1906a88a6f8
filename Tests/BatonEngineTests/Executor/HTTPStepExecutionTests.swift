import AsyncHTTPClient
import BatonCore
import BatonStore
import Foundation
import Hummingbird
import JSONata
import Synchronization
import Testing
@testable import BatonEngine

/// Workflows with `http`, `graphql` and `soap` steps run by the real executor, through the real
/// HTTP client, against a real server on 127.0.0.1: what the server received, what the steps
/// output, and what the store recorded of every attempt.
struct HTTPStepExecutionTests {
    @Test func aFieldOfEachResponseFeedsTheNextRequest() async throws {
        try await withTestServer({ router, _ in
            router.post("/users") { request, _ in
                let body = try await HTTPRunner.json(request)
                return reply(.created, #"{"id":42,"name":"\#(body["name"]?.stringValue ?? "")"}"#)
            }
            router.get("/users/:id") { _, context in
                let id = context.parameters.get("id") ?? "?"
                return reply(.ok, #"{"id":\#(id),"profile":"/profiles/\#(id)"}"#)
            }
            router.get("/profiles/:id") { _, _ in reply(.ok, #"{"score":7}"#) }
            router.put("/users/:id/score") { request, _ in
                let body = try await HTTPRunner.json(request)
                return reply(.ok, #"{"stored":\#(body["score"]?.serialized() ?? "null")}"#)
            }
            router.post("/notify") { _, _ in reply(.accepted, #"{"queued":true}"#) }
        }) { base, log, _ in
            let runner = try HTTPRunner(environment: ["API": base])
            defer { runner.remove() }
            let result = try await runner.run("""
                steps:
                  - id: create
                    http:
                      method: POST
                      url: ${{ env.API }}/users
                      json:
                        name: ${{ trigger.body.name }}
                  - id: fetch
                    http:
                      url: ${{ env.API }}/users/${{ steps.create.output.body.id }}
                  - id: profile
                    http:
                      url: ${{ env.API & steps.fetch.output.body.profile }}
                  - id: score
                    http:
                      method: PUT
                      url: ${{ env.API }}/users/${{ steps.fetch.output.body.id }}/score
                      headers:
                        X-Previous: ${{ steps.profile.output.body.score }}
                      json:
                        score: ${{ steps.profile.output.body.score + 1 }}
                  - id: notify
                    http:
                      method: POST
                      url: ${{ env.API }}/notify
                      query:
                        user: ${{ steps.create.output.body.id }}
                      json:
                        text: ${{ steps.create.output.body.name & " now scores " & $string(steps.score.output.body.stored) }}
                """, trigger: ["body": ["name": "Ada"]])
            #expect(result.run.status == .succeeded)
            #expect(log.all.map { "\($0.method) \($0.path)" } == [
                "POST /users", "GET /users/42", "GET /profiles/42", "PUT /users/42/score", "POST /notify",
            ])
            #expect(log.all[0].body == #"{"name":"Ada"}"#)
            #expect(log.all[3].body == #"{"score":8}"#)
            #expect(log.all[3].header("X-Previous") == "7")
            #expect(log.all[4].query == "user=42")
            #expect(log.all[4].body == #"{"text":"Ada now scores 8"}"#)
            #expect(try result.output("score")?["body"] == ["stored": 8])
            #expect(try result.output("notify")?["status"] == 202)
            // The run's output is the last step's: {status, headers, body}.
            #expect(try JSONValue(parsing: result.run.output ?? "null")["body"] == ["queued": true])
            #expect(result.attempts.map(\.attempt.responseStatus) == [201, 200, 200, 200, 202])
        }
    }

    @Test func a500IsRetriedAndEveryAttemptIsStored() async throws {
        let calls = Counter()
        try await withTestServer({ router, _ in
            router.post("/flaky") { _, _ in
                calls.increment() == 1 ? reply(.internalServerError, #"{"error":"database busy"}"#) : reply(.ok, #"{"ok":true}"#)
            }
        }) { base, log, _ in
            let runner = try HTTPRunner(environment: ["API": base])
            defer { runner.remove() }
            let result = try await runner.run("""
                steps:
                  - id: flaky
                    http: {method: POST, url: "${{ env.API }}/flaky", json: {n: 1}}
                    retry: {attempts: 3, initial: 10ms}
                """)
            #expect(result.run.status == .succeeded)
            #expect(log.count(path: "/flaky") == 2)
            #expect(result.steps["flaky"]?.status == .succeeded)
            #expect(result.steps["flaky"]?.attemptCount == 2)
            #expect(result.attempts.map(\.attempt.number) == [1, 2])
            #expect(result.attempts.map(\.attempt.responseStatus) == [500, 200])
            #expect(result.attempts[0].attempt.error?.contains("answered 500 Internal Server Error") == true)
            #expect(result.attempts[0].attempt.error?.contains("database busy") == true)
            #expect(result.attempts[1].attempt.error == nil)
            // Both attempts carry the same key, so the API can tell the retry from a new request.
            #expect(Set(log.all.map { $0.header("Idempotency-Key") }) == ["\(result.run.id)-flaky"])
        }
    }

    @Test func aFailedAttemptIsStoredBeforeTheRetryAndNumberingGoesOnAfterARestart() async throws {
        let calls = Counter()
        try await withTestServer({ router, _ in
            router.post("/flaky") { _, _ in
                calls.increment() <= 2 ? reply(.badGateway, #"{"error":"upstream"}"#) : reply(.ok, #"{"ok":true}"#)
            }
        }) { base, log, _ in
            let runner = try HTTPRunner(environment: ["API": base])
            defer { runner.remove() }
            let workflow = try ExecutorHarness.workflow("""
                steps:
                  - id: flaky
                    http: {method: POST, url: "${{ env.API }}/flaky"}
                    retry: {attempts: 4, backoff: constant, initial: 2s, jitter: false}
                """)
            let run = try await runner.harness.start(workflow)
            // The worker stops during the backoff after the first attempt (as when its process dies);
            // a fixed 2 s backoff leaves room for a busy machine to stop it in time.
            _ = try await runner.work(run) { log.times(path: "/flaky").first.map { Date().timeIntervalSince($0) > 0.25 } ?? false }
            let early = try await runner.harness.store.attempts(runID: run.id)
            #expect(early.map(\.attempt.number) == [1])
            #expect(early.map(\.attempt.responseStatus) == [502])
            #expect(try await runner.harness.store.run(id: run.id)?.status != .succeeded)

            let finished = try await runner.work(run) { false }
            #expect(finished.status == .succeeded)
            let attempts = try await runner.harness.store.attempts(runID: run.id)
            #expect(attempts.map(\.attempt.number) == [1, 2, 3])
            #expect(attempts.map(\.attempt.responseStatus) == [502, 502, 200])
            #expect(try await runner.harness.steps(run)["flaky"]?.attemptCount == 3)
            #expect(log.count(path: "/flaky") == 3)
        }
    }

    @Test func retryAfterOnA429IsHonoured() async throws {
        let calls = Counter()
        try await withTestServer({ router, _ in
            router.get("/limited") { _, _ in
                calls.increment() == 1
                    ? reply(.tooManyRequests, #"{"error":"slow down"}"#, headers: [("Retry-After", "1")])
                    : reply(.ok, #"{"ok":true}"#)
            }
        }) { base, log, _ in
            let runner = try HTTPRunner(environment: ["API": base])
            defer { runner.remove() }
            let result = try await runner.run("""
                steps:
                  - id: limited
                    http: {url: "${{ env.API }}/limited"}
                    retry: {attempts: 3, initial: 10ms}
                """)
            #expect(result.run.status == .succeeded)
            #expect(result.attempts.map(\.attempt.responseStatus) == [429, 200])
            let times = log.times(path: "/limited")
            try #require(times.count == 2)
            // The backoff alone would wait 10 ms; the server asked for a second.
            #expect(times[1].timeIntervalSince(times[0]) >= 0.9)
        }
    }

    @Test func a400IsNotRetried() async throws {
        try await withTestServer({ router, _ in
            router.post("/orders") { _, _ in reply(.badRequest, #"{"error":"sku is required"}"#) }
        }) { base, log, _ in
            let runner = try HTTPRunner(environment: ["API": base])
            defer { runner.remove() }
            let result = try await runner.run("""
                steps:
                  - id: order
                    http: {method: POST, url: "${{ env.API }}/orders", json: {}}
                    retry: {attempts: 3, initial: 10ms}
                """)
            #expect(result.run.status == .failed)
            #expect(log.count(path: "/orders") == 1)
            #expect(result.attempts.map(\.attempt.responseStatus) == [400])
            let error = try #require(result.error("order"))
            #expect(error["status"] == 400)
            #expect(error["body"] == ["error": "sku is required"])
            #expect(error["message"]?.stringValue?.contains("answered 400 Bad Request") == true)
        }
    }

    @Test func exhaustedAttemptsFailTheRunNamingTheStatus() async throws {
        try await withTestServer({ router, _ in
            router.get("/down") { _, _ in reply(.serviceUnavailable, "maintenance", contentType: "text/plain") }
        }) { base, log, _ in
            let runner = try HTTPRunner(environment: ["API": base])
            defer { runner.remove() }
            let result = try await runner.run("""
                steps:
                  - id: down
                    http: {url: "${{ env.API }}/down"}
                    retry: {attempts: 3, initial: 10ms}
                  - id: after
                    transform: never
                """)
            #expect(result.run.status == .failed)
            #expect(log.count(path: "/down") == 3)
            #expect(result.attempts.map(\.attempt.responseStatus) == [503, 503, 503])
            #expect(result.steps["down"]?.attemptCount == 3)
            #expect(result.steps["after"] == nil || result.steps["after"]?.status == .cancelled)
            let runError = try JSONValue(parsing: try #require(result.run.error))
            #expect(runError["step"] == "down")
            #expect(runError["status"] == 503)
            #expect(runError["message"]?.stringValue?.contains("503 Service Unavailable") == true)
            #expect(runError["message"]?.stringValue?.contains("maintenance") == true)
        }
    }

    @Test func aSlowServerTimesTheStepOut() async throws {
        try await withTestServer({ router, _ in
            router.get("/slow") { _, _ in
                try await Task.sleep(for: .seconds(3))
                return reply(.ok, "{}")
            }
        }) { base, _, _ in
            let runner = try HTTPRunner(environment: ["API": base])
            defer { runner.remove() }
            let result = try await runner.run("""
                steps:
                  - id: slow
                    http: {url: "${{ env.API }}/slow"}
                    timeout: 200ms
                """)
            // The timeout error itself proves the call was cut short: the server answers 200 after
            // 3 s. No wall-clock bound: on a loaded 2-core machine the whole suite runs late.
            #expect(result.run.status == .failed)
            let error = try #require(result.error("slow"))
            #expect(error["code"] == "timeout")
            #expect(error["message"]?.stringValue?.contains("did not answer within 200 ms") == true)
            #expect(result.attempts.count == 1)
            #expect(result.attempts.first?.attempt.responseStatus == nil)
        }
    }

    @Test func idempotencyKeysNameTheRunTheStepAndTheItem() async throws {
        try await withTestServer({ router, _ in
            router.post("/charge") { _, _ in reply(.ok, "{}") }
            router.post("/lines/:sku") { _, _ in reply(.ok, "{}") }
            router.post("/refund") { _, _ in reply(.ok, "{}") }
        }) { base, log, _ in
            let runner = try HTTPRunner(environment: ["API": base])
            defer { runner.remove() }
            let result = try await runner.run("""
                steps:
                  - id: charge
                    http: {method: POST, url: "${{ env.API }}/charge"}
                  - id: lines
                    for_each: ${{ trigger.body.skus }}
                    concurrency: 2
                    http: {method: POST, url: "${{ env.API }}/lines/${{ item }}"}
                  - id: refund
                    http:
                      method: POST
                      url: ${{ env.API }}/refund
                      idempotency_key: refund-${{ trigger.body.order }}
                """, trigger: ["body": ["order": 7, "skus": ["a", "b", "c"]]])
            #expect(result.run.status == .succeeded)
            let id = result.run.id
            #expect(log.last(path: "/charge")?.header("Idempotency-Key") == "\(id)-charge")
            #expect(log.last(path: "/lines/a")?.header("Idempotency-Key") == "\(id)-lines-0")
            #expect(log.last(path: "/lines/b")?.header("Idempotency-Key") == "\(id)-lines-1")
            #expect(log.last(path: "/lines/c")?.header("Idempotency-Key") == "\(id)-lines-2")
            #expect(log.last(path: "/refund")?.header("Idempotency-Key") == "refund-7")
            // Each item is stored under its own key, with its own attempt.
            #expect(result.steps["lines[1]"]?.status == .succeeded)
            // Two items run at once, so their attempts are stored in either order.
            #expect(result.attempts.filter { $0.key.stepID == "lines" }.compactMap(\.key.item).sorted() == [0, 1, 2])
        }
    }

    @Test func connectionsGiveBaseURLHeadersAndAuthAndTheTokenIsMaskedInTheStore() async throws {
        let token = "tok-s3cr3t-98765"
        try await withTestServer({ router, _ in
            router.get("/v2/me") { _, _ in reply(.ok, #"{"login":"ada"}"#) }
        }) { base, log, _ in
            let runner = try HTTPRunner(environment: ["API": base, "BATON_SECRET_API_TOKEN": token])
            defer { runner.remove() }
            let result = try await runner.run("""
                connections:
                  api:
                    base_url: ${{ env.API }}/v2
                    headers:
                      X-Client: baton
                      Accept: application/json
                    auth:
                      bearer: ${{ secrets.API_TOKEN }}
                steps:
                  - id: me
                    http:
                      connection: api
                      url: /me
                      headers:
                        Accept: application/vnd.api+json
                """)
            #expect(result.run.status == .succeeded)
            let seen = try #require(log.last(path: "/v2/me"))
            #expect(seen.header("Authorization") == "Bearer \(token)")
            #expect(seen.header("X-Client") == "baton")
            // The step's own header replaces the connection's.
            #expect(seen.headers.filter { $0.0.lowercased() == "accept" }.map(\.1) == ["application/vnd.api+json"])
            #expect(try result.output("me")?["body"] == ["login": "ada"])

            let summaryText = try #require(result.attempts.first?.attempt.requestSummary)
            let summary = try JSONValue(parsing: summaryText)
            #expect(summary["method"] == "GET")
            #expect(summary["url"] == .string(base + "/v2/me"))
            #expect(summary["headers"]?["authorization"] == "***")
            #expect(summary["headers"]?["x-client"] == "baton")
            #expect(summary["headers"]?["idempotency-key"] == .string("\(result.run.id)-me"))
            #expect(!summaryText.contains(token))
            let bytes = try runner.databaseBytes()
            #expect(bytes.range(of: Data(token.utf8)) == nil)
        }
    }

    @Test func linkPaginationCollectsTheItemsOfEveryPage() async throws {
        try await withTestServer({ router, _ in
            router.get("/items") { request, _ in
                let page = request.uri.queryParameters.get("page").flatMap(Int.init) ?? 1
                let items = page == 1 ? #"[{"id":1},{"id":2}]"# : page == 2 ? #"[{"id":3},{"id":4}]"# : #"[{"id":5}]"#
                let next = page < 3 ? [("Link", #"</items?page=\#(page + 1)>; rel="next""#)] : []
                return reply(.ok, items, headers: next)
            }
        }) { base, log, _ in
            let runner = try HTTPRunner(environment: ["API": base])
            defer { runner.remove() }
            let result = try await runner.run("""
                steps:
                  - id: all
                    http:
                      url: ${{ env.API }}/items
                      paginate: {type: link}
                  - id: ids
                    transform: ${{ steps.all.output.body.id }}
                """)
            #expect(result.run.status == .succeeded)
            #expect(log.all.map(\.query) == ["", "page=2", "page=3"])
            #expect(try result.output("all")?["pages"] == 3)
            #expect(result.run.output == "[1,2,3,4,5]")
        }
    }

    @Test func anXMLResponseIsReadAsJSON() async throws {
        try await withTestServer({ router, _ in
            router.get("/feed.xml") { _, _ in
                reply(.ok, #"<?xml version="1.0"?><feed><entry id="1"><title>First</title></entry><entry id="2"><title>Second</title></entry></feed>"#,
                      contentType: "application/xml")
            }
        }) { base, _, _ in
            let runner = try HTTPRunner(environment: ["API": base])
            defer { runner.remove() }
            let result = try await runner.run("""
                steps:
                  - id: feed
                    http: {url: "${{ env.API }}/feed.xml"}
                  - id: titles
                    transform: ${{ steps.feed.output.body.feed.entry.title }}
                """)
            #expect(result.run.status == .succeeded)
            #expect(try result.output("feed")?["body"]?["feed"]?["entry"]?[1]?["@id"] == "2")
            #expect(result.run.output == #"["First","Second"]"#)
        }
    }

    @Test func graphQLDataFlowsOnAndErrorsFailTheStep() async throws {
        try await withTestServer({ router, _ in
            router.post("/graphql") { request, _ in
                let body = try await HTTPRunner.json(request)
                if body["operationName"] == "Repo" {
                    return reply(.ok, #"{"data":{"repo":null},"errors":[{"message":"Could not resolve to a Repository","path":["repo"],"type":"NOT_FOUND"}]}"#)
                }
                return reply(.ok, #"{"data":{"viewer":{"login":"ada","id":"U1"}}}"#)
            }
        }) { base, log, _ in
            let runner = try HTTPRunner(environment: ["API": base])
            defer { runner.remove() }
            let result = try await runner.run("""
                steps:
                  - id: viewer
                    graphql:
                      url: ${{ env.API }}/graphql
                      query: query Me { viewer { login id } }
                      operation_name: Me
                  - id: repo
                    on_error: continue
                    graphql:
                      url: ${{ env.API }}/graphql
                      query: 'query Repo($owner: String!) { repo(owner: $owner) { id } }'
                      variables:
                        owner: ${{ steps.viewer.output.body.data.viewer.login }}
                      operation_name: Repo
                  - id: report
                    transform:
                      status: ${{ steps.repo.status }}
                      code: ${{ steps.repo.error.code }}
                      type: ${{ steps.repo.error.errors[0].type }}
                """)
            #expect(result.run.status == .succeeded)
            let sent = try JSONValue(parsing: try #require(log.all.last?.body))
            #expect(sent["variables"] == ["owner": "ada"])
            #expect(result.steps["repo"]?.status == .failed)
            let error = try #require(result.error("repo"))
            #expect(error["code"] == "graphql")
            #expect(error["errors"]?[0]?["message"] == "Could not resolve to a Repository")
            #expect(try JSONValue(parsing: result.run.output ?? "") == ["status": "failed", "code": "graphql", "type": "NOT_FOUND"])
            // A GraphQL error fails the same way again: no retry.
            #expect(result.attempts.filter { $0.key.stepID == "repo" }.count == 1)
        }
    }

    @Test func aSOAPCallReturnsItsElementAndAFaultFailsTheStep() async throws {
        try await withTestServer({ router, _ in
            router.post("/soap") { request, _ in
                let body = String(buffer: try await request.body.collect(upTo: 1 << 16))
                if body.contains("PEN-9") {
                    return reply(.internalServerError, """
                        <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>\
                        <faultcode>soap:Client</faultcode><faultstring>Unknown item PEN-9</faultstring>\
                        </soap:Fault></soap:Body></soap:Envelope>
                        """, contentType: "text/xml; charset=utf-8")
                }
                return reply(.ok, """
                    <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>\
                    <GetPriceResponse xmlns="http://example.com/stock"><Price>34.5</Price><Next>PEN-9</Next></GetPriceResponse>\
                    </soap:Body></soap:Envelope>
                    """, contentType: "text/xml; charset=utf-8")
            }
        }) { base, log, _ in
            let runner = try HTTPRunner(environment: ["API": base])
            defer { runner.remove() }
            let result = try await runner.run("""
                steps:
                  - id: price
                    soap:
                      url: ${{ env.API }}/soap
                      action: http://example.com/stock/GetPrice
                      namespace: http://example.com/stock
                      body:
                        GetPrice:
                          Item: PEN-1
                  - id: next
                    soap:
                      url: ${{ env.API }}/soap
                      action: http://example.com/stock/GetPrice
                      body:
                        GetPrice:
                          Item: ${{ steps.price.output.GetPriceResponse.Next }}
                """)
            #expect(result.run.status == .failed)
            #expect(log.all.first?.header("SOAPAction") == #""http://example.com/stock/GetPrice""#)
            #expect(log.all.last?.body.contains("<Item>PEN-9</Item>") == true)
            #expect(try result.output("price") == ["GetPriceResponse": ["Price": "34.5", "Next": "PEN-9"]])
            let error = try #require(result.error("next"))
            #expect(error["code"] == "soap_fault")
            #expect(error["fault"]?["faultcode"] == "soap:Client")
            #expect(error["fault"]?["faultstring"] == "Unknown item PEN-9")
            #expect(result.run.error?.contains("Unknown item PEN-9") == true)
        }
    }

    @Test func continueOnErrorLetsALaterStepReadTheStatus() async throws {
        try await withTestServer({ router, _ in
            router.get("/missing") { _, _ in reply(.notFound, #"{"error":"no such user"}"#) }
        }) { base, _, _ in
            let runner = try HTTPRunner(environment: ["API": base])
            defer { runner.remove() }
            let result = try await runner.run("""
                steps:
                  - id: lookup
                    on_error: continue
                    http: {url: "${{ env.API }}/missing"}
                  - id: fallback
                    transform:
                      found: ${{ steps.lookup.status = "succeeded" }}
                      status: ${{ steps.lookup.error.status }}
                      reason: ${{ steps.lookup.error.body.error }}
                """)
            #expect(result.run.status == .succeeded)
            #expect(result.steps["lookup"]?.status == .failed)
            #expect(try JSONValue(parsing: result.run.output ?? "") == ["found": false, "status": 404, "reason": "no such user"])
        }
    }
}

/// The executor with the real HTTP layer on a real SQLite store, on the system clock.
struct HTTPRunner {
    /// What a finished run left in the store.
    struct Result {
        var run: Run
        var steps: [String: StepExecution]
        var attempts: [Attempt]

        func output(_ step: String) throws -> JSONValue? {
            try steps[step]?.output.map { try JSONValue(parsing: $0) }
        }

        func error(_ step: String) -> JSONValue? {
            steps[step]?.error.flatMap { try? JSONValue(parsing: $0) }
        }
    }

    let harness: ExecutorHarness

    init(environment: [String: String]) throws {
        harness = try ExecutorHarness(environment: RunEnvironment(process: environment),
                                      remote: HTTPStepCalls(client: StepHTTPClient(client: HTTPClient.shared)))
    }

    /// Loads `yaml`, starts a run and works until it finishes (at most `limit`).
    func run(_ yaml: String, trigger: JSONValue = [:], limit: Duration = .seconds(20)) async throws -> Result {
        let workflow = try ExecutorHarness.workflow(yaml)
        let run = try await harness.start(workflow, trigger: trigger)
        let finished = try await work(run, limit: limit) { false }
        return Result(run: finished, steps: try await harness.steps(run), attempts: try await harness.store.attempts(runID: run.id))
    }

    /// Works on `run` until it finishes, `stop` returns true, or `limit` passes.
    func work(_ run: Run, limit: Duration = .seconds(20), stop: @escaping @Sendable () -> Bool) async throws -> Run {
        let dependencies = ExecutorDependencies(store: harness.store, remote: harness.remote, clock: SystemWallClock(),
                                                environment: harness.environment, owner: "http-test-\(UUID().uuidString)",
                                                leaseDuration: .seconds(30), random: { 0.5 })
        let worker = Worker(dependencies: dependencies, configuration: .init(maxConcurrentRuns: 4, pollInterval: .milliseconds(20)))
        let deadline = ContinuousClock.now + limit
        let store = harness.store
        try await worker.run {
            guard ContinuousClock.now < deadline, !stop() else { return true }
            return try await store.run(id: run.id)?.status.isTerminal ?? true
        }
        return try #require(try await store.run(id: run.id))
    }

    func databaseBytes() throws -> Data {
        var data = Data()
        for suffix in ["", "-wal"] {
            let url = harness.directory.appendingPathComponent("baton.sqlite" + suffix)
            if let bytes = try? Data(contentsOf: url) { data.append(bytes) }
        }
        return data
    }

    func remove() { harness.remove() }

    /// A request's body as JSON.
    static func json(_ request: Request) async throws -> JSONValue {
        try JSONValue(parsing: String(buffer: try await request.body.collect(upTo: 1 << 20)))
    }
}

extension RequestLog {
    /// When each request to `path` arrived, in order.
    func times(path: String) -> [Date] {
        all.filter { $0.path == path }.map(\.receivedAt)
    }
}

import Foundation
import Hummingbird
import JSONata
import Testing
@testable import BatonEngine

/// `http` steps against a real server: request shapes, parsed outputs, error messages.
@Suite struct HTTPStepTests {
    @Test func getJSONSendsQueryHeadersBearerAndIdempotencyKey() async throws {
        try await withTestServer({ router, _ in
            router.get("/items") { _, _ in reply(.ok, #"{"items":[{"id":1},{"id":2}],"total":2}"#) }
        }) { base, log, client in
            let request = PreparedRequest(url: base + "/items", query: [("q", "a b&c"), ("n", "5")],
                                          headers: [("X-Trace", "t-1")])
            let result = try await client.perform(HTTPCall(request: request, auth: .bearer(token: "tok-123456"),
                                                           idempotencyKey: "run1-step1"))
            #expect(result.status == 200)
            #expect(result.body?["total"] == 2)
            #expect(result.output["body"]?["items"]?[1]?["id"] == 2)
            #expect(result.output["headers"]?["content-type"] == "application/json")
            let seen = try #require(log.last(path: "/items"))
            #expect(seen.method == "GET")
            #expect(seen.query == "q=a%20b%26c&n=5")
            #expect(seen.header("Authorization") == "Bearer tok-123456")
            #expect(seen.header("X-Trace") == "t-1")
            #expect(seen.header("Idempotency-Key") == "run1-step1")
        }
    }

    @Test func requestIdempotencyKeyIsKept() async throws {
        try await withTestServer({ router, _ in
            router.post("/pay") { _, _ in reply(.created, #"{"ok":true}"#) }
        }) { base, log, client in
            let request = PreparedRequest(method: "post", url: base + "/pay", headers: [("idempotency-key", "mine")],
                                          body: .json(["amount": 5]))
            _ = try await client.perform(HTTPCall(request: request, idempotencyKey: "run1-pay"))
            let seen = try #require(log.last(path: "/pay"))
            #expect(seen.headers.filter { $0.0.lowercased() == "idempotency-key" }.map(\.1) == ["mine"])
        }
    }

    @Test func bodiesAreSentWithTheirContentType() async throws {
        try await withTestServer({ router, _ in
            router.post("/echo") { _, _ in reply(.ok, "", contentType: nil) }
            router.put("/echo") { _, _ in reply(.ok, "", contentType: nil) }
        }) { base, log, client in
            _ = try await client.perform(HTTPCall(request: PreparedRequest(method: "POST", url: base + "/echo",
                                                                           body: .json(["name": "Ada", "tags": ["x"]]))))
            #expect(log.all[0].body == #"{"name":"Ada","tags":["x"]}"#)
            #expect(log.all[0].header("Content-Type") == "application/json")

            _ = try await client.perform(HTTPCall(request: PreparedRequest(method: "POST", url: base + "/echo",
                                                                           body: .form([("a", "1 2"), ("b", "x&y=z")]))))
            #expect(log.all[1].body == "a=1%202&b=x%26y%3Dz")
            #expect(log.all[1].header("Content-Type") == "application/x-www-form-urlencoded")

            let result = try await client.perform(HTTPCall(request: PreparedRequest(method: "PUT", url: base + "/echo",
                                                                                    body: .raw("plain text", contentType: "text/plain"))))
            #expect(log.all[2].body == "plain text")
            #expect(log.all[2].header("Content-Type") == "text/plain")
            #expect(result.body == nil)
            #expect(result.output["body"] == .null)
        }
    }

    @Test func basicAndAPIKeyAuth() async throws {
        try await withTestServer({ router, _ in
            router.get("/me") { _, _ in reply(.ok, "{}") }
        }) { base, log, client in
            _ = try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/me"),
                                                  auth: .basic(username: "ada", password: "s3cret!")))
            #expect(log.all[0].header("Authorization") == "Basic YWRhOnMzY3JldCE=")
            _ = try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/me"),
                                                  auth: .apiKey(placement: .header, name: "X-API-Key", value: "k-1")))
            #expect(log.all[1].header("X-API-Key") == "k-1")
            _ = try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/me", query: [("page", "2")]),
                                                  auth: .apiKey(placement: .query, name: "api_key", value: "k 2")))
            #expect(log.all[2].query == "page=2&api_key=k%202")
        }
    }

    @Test func xmlAndTextBodiesAreParsedByContentType() async throws {
        try await withTestServer({ router, _ in
            router.get("/xml") { _, _ in
                reply(.ok, #"<?xml version="1.0"?><order id="7"><item>pen</item><item>ink</item><note/></order>"#,
                      contentType: "application/xml; charset=utf-8")
            }
            router.get("/text") { _, _ in reply(.ok, "hello\n", contentType: "text/plain") }
            router.get("/bad-json") { _, _ in reply(.ok, "{nope", contentType: "application/json") }
        }) { base, _, client in
            let xml = try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/xml")))
            #expect(xml.body == ["order": ["@id": "7", "item": ["pen", "ink"], "note": nil]])
            let text = try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/text")))
            #expect(text.body == "hello\n")
            let error = await #expect(throws: StepCallError.self) {
                try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/bad-json")))
            }
            #expect(error?.code == "invalid_response")
            #expect(error?.message.contains("is declared as JSON") == true)
        }
    }

    @Test func unexpectedStatusSaysWhatTheServerAnswered() async throws {
        try await withTestServer({ router, _ in
            router.get("/boom") { _, _ in reply(.internalServerError, #"{"error":"database down"}"#) }
            router.get("/missing") { _, _ in reply(.notFound, #"{"error":"no such item"}"#) }
        }) { base, _, client in
            let error = await #expect(throws: StepCallError.self) {
                try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/boom")))
            }
            #expect(error?.status == 500)
            #expect(error?.message == #"GET \#(base)/boom answered 500 Internal Server Error, expected 2xx: {"error":"database down"} (the service failed; this is usually temporary)"#)
            #expect(error.map(RetryClassifier().isRetryable) == true)
            #expect(error?.jsonValue["body"]?["error"] == "database down")

            // `expect` may accept other statuses.
            let result = try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/missing"),
                                                           expect: StatusExpectation([.status(404), .statusClass(2)])))
            #expect(result.status == 404)
            let notFound = await #expect(throws: StepCallError.self) {
                try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/missing")))
            }
            #expect(notFound?.message.hasSuffix("(check the URL and the ids in it)") == true)
            #expect(notFound.map(RetryClassifier().isRetryable) == false)
        }
    }

    @Test func tooManyRequestsCarriesRetryAfterInBothForms() async throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let later = RetryAfter.format(now.addingTimeInterval(90))
        try await withTestServer({ router, _ in
            router.get("/seconds") { _, _ in reply(.tooManyRequests, #"{"error":"slow down"}"#, headers: [("Retry-After", "30")]) }
            router.get("/date") { _, _ in reply(.tooManyRequests, "slow down", contentType: "text/plain", headers: [("Retry-After", later)]) }
        }) { base, _, _ in
            let client = StepHTTPClient(client: .shared, configuration: .init(now: { now }))
            let seconds = await #expect(throws: StepCallError.self) {
                try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/seconds")))
            }
            #expect(seconds?.status == 429)
            #expect(seconds?.retryAfter == .seconds(30))
            #expect(seconds?.message.contains("429 Too Many Requests") == true)
            let date = await #expect(throws: StepCallError.self) {
                try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/date")))
            }
            #expect(date?.retryAfter == .seconds(90))
            // The executor's wait: the backoff (at most 2 s here) loses to the server's 90 s.
            var random = FixedRandom(fraction: 1)
            let wait = Backoff(initial: .seconds(1), max: .seconds(2)).delay(retry: 1, after: date!, using: &random)
            #expect(wait == .seconds(90))
            #expect(RetryClassifier().isRetryable(date!))
        }
    }

    @Test func slowAnswerTimesOut() async throws {
        try await withTestServer({ router, _ in
            router.get("/slow") { _, _ in
                try await Task.sleep(for: .seconds(3))
                return reply(.ok, "{}")
            }
        }) { base, _, client in
            let error = await #expect(throws: StepCallError.self) {
                try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/slow", timeout: .milliseconds(300))))
            }
            // The timeout error itself proves the call was cut short: the server answers 200 after
            // 3 s. No wall-clock bound: on a loaded 2-core machine the whole suite runs late.
            #expect(error?.code == "timeout")
            #expect(error?.message.hasPrefix("GET \(base)/slow did not answer within 300 ms") == true)
            #expect(error.map(RetryClassifier().isRetryable) == true)
            #expect(error.map(RetryClassifier(conditions: [.network]).isRetryable) == false)
        }
    }

    @Test func refusedConnectionIsANetworkError() async throws {
        let port = try closedPort()
        let client = StepHTTPClient(client: .shared)
        // AsyncHTTPClient retries refused connections until the deadline; the error still says why.
        let error = await #expect(throws: StepCallError.self) {
            try await client.perform(HTTPCall(request: PreparedRequest(url: "http://127.0.0.1:\(port)/x", timeout: .milliseconds(500))))
        }
        #expect(error?.code == "network")
        #expect(error?.message.hasPrefix("GET http://127.0.0.1:\(port)/x failed") == true)
        #expect(error?.message == "GET http://127.0.0.1:\(port)/x failed: could not connect or the connection broke (Connection refused); check that the service is up and the URL's host and port are right")
        #expect(error.map(RetryClassifier().isRetryable) == true)
    }

    @Test func oversizedBodyIsRefused() async throws {
        try await withTestServer({ router, _ in
            router.get("/big") { _, _ in reply(.ok, String(repeating: "x", count: 5000), contentType: "text/plain") }
            router.head("/big") { _, _ in
                Response(status: .ok, headers: [.contentType: "text/plain", .contentLength: "5000"])
            }
        }) { base, _, _ in
            let client = StepHTTPClient(client: .shared, configuration: .init(maxResponseBytes: 1024))
            let error = await #expect(throws: StepCallError.self) {
                try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/big")))
            }
            #expect(error?.code == "too_large")
            #expect(error?.message.contains("larger than the 1 KiB limit") == true)
            #expect(error.map(RetryClassifier().isRetryable) == false)
            // HEAD gets the size of the body without the body: not too large.
            let head = try await client.perform(HTTPCall(request: PreparedRequest(method: "HEAD", url: base + "/big")))
            #expect(head.status == 200)
            #expect(head.rawBody.isEmpty)
        }
    }

    @Test func oversizedChunkedBodyIsRefusedWhileStreaming() async throws {
        try await withTestServer({ router, _ in
            router.get("/stream") { _, _ in
                // No Content-Length: the limit is enforced while the chunks arrive.
                let chunks = (0..<8).map { _ in ByteBuffer(string: String(repeating: "y", count: 512)) }
                return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(contentsOf: chunks))
            }
        }) { base, _, _ in
            let client = StepHTTPClient(client: .shared, configuration: .init(maxResponseBytes: 2048))
            let error = await #expect(throws: StepCallError.self) {
                try await client.perform(HTTPCall(request: PreparedRequest(url: base + "/stream")))
            }
            #expect(error?.code == "too_large")
            let roomy = StepHTTPClient(client: .shared, configuration: .init(maxResponseBytes: 4096))
            let result = try await roomy.perform(HTTPCall(request: PreparedRequest(url: base + "/stream")))
            #expect(result.rawBody.count == 4096)
        }
    }

    @Test func bodyWithoutContentTypeIsSniffed() throws {
        #expect(try ResponseBodyDecoder.decode(Array(#" {"a":1}"#.utf8), contentType: nil) == ["a": 1])
        #expect(try ResponseBodyDecoder.decode(Array("{not json".utf8), contentType: nil) == "{not json")
        #expect(try ResponseBodyDecoder.decode(Array("[1]".utf8), contentType: "application/vnd.api+json") == [1])
        #expect(try ResponseBodyDecoder.decode(Array("<a>1</a>".utf8), contentType: "application/atom+xml") == ["a": "1"])
        #expect(try ResponseBodyDecoder.decode(Array("[1]".utf8), contentType: "text/csv") == "[1]")
        #expect(try ResponseBodyDecoder.decode([], contentType: "application/json") == nil)
    }

    @Test func queryIsAppendedBeforeTheFragment() {
        #expect(PreparedRequest(url: "https://h/p?a=1#top", query: [("b", "2")]).url == "https://h/p?a=1&b=2#top")
        #expect(PreparedRequest(url: "https://h/p", query: [("ü", "é ")]).url == "https://h/p?%C3%BC=%C3%A9%20")
        var request = PreparedRequest(url: "https://h/p?page=1&x=y")
        request.url = URLQuery.setting("page", to: "2", in: request.url)
        #expect(request.url == "https://h/p?x=y&page=2")
    }

    @Test func invalidURLIsARequestError() async throws {
        let client = StepHTTPClient(client: .shared)
        let error = await #expect(throws: StepCallError.self) {
            try await client.perform(HTTPCall(request: PreparedRequest(url: "ftp://127.0.0.1/file")))
        }
        #expect(error?.code == "invalid_request")
        #expect(error?.message.contains("check the step's url") == true)
    }
}

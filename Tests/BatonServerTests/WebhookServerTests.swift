import BatonStore
import Crypto
import Foundation
import JSONata
import Testing

/// Webhook deliveries against the real server: signatures, limits, bodies, deduplication, sync answers.
@Suite(.timeLimit(.minutes(2)))
struct WebhookServerTests {
    static let secret = "It's a Secret to Everybody"

    static let github = """
        name: github-release
        triggers:
          - webhook:
              path: /hooks/github
              scheme: github
              secret: ${{ secrets.GH_SECRET }}
              idempotency_key: ${{ trigger.headers.`x-github-delivery` }}
              max_body: 2KB
        steps:
          - id: release
            transform: ${{ trigger.body.release.tag_name }}
        """

    static func githubSignature(_ body: String, secret: String = secret) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    func withServer(_ files: [String: String], environment: [String: String] = ["BATON_SECRET_GH_SECRET": secret],
                    _ body: (ServerHarness) async throws -> Void) async throws {
        let harness = try ServerHarness(environment: environment)
        defer { harness.remove() }
        for (name, text) in files { try harness.write(name, text) }
        try await harness.start()
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test func aSignedDeliveryIsStoredBeforeThe202AndRuns() async throws {
        try await withServer(["github.yaml": Self.github]) { server in
            let body = #"{"action":"published","release":{"tag_name":"v1.2.0"}}"#
            let reply = try await server.send(.POST, "/hooks/github", body: body, headers: [
                ("Content-Type", "application/json"), ("X-Hub-Signature-256", Self.githubSignature(body)),
                ("X-GitHub-Delivery", "d-1"),
            ])
            #expect(reply.status == 202)
            let runID = try #require(reply.json?["run_id"]?.stringValue)
            #expect(reply.json?["status_url"]?.stringValue == "\(server.url)/api/runs/\(runID)")
            // Durable before the answer: the run is in the database as soon as the 202 arrives.
            let stored = try #require(try await server.store.run(id: runID))
            #expect(stored.triggerKind == .webhook)
            let run = try await server.finished(runID)
            #expect(run.status == .succeeded)
            #expect(run.output == #""v1.2.0""#)
        }
    }

    @Test func rejectedDeliveriesStartNothing() async throws {
        try await withServer(["github.yaml": Self.github]) { server in
            let body = #"{"release":{"tag_name":"v1"}}"#
            let cases: [(String, [(String, String)], String)] = [
                ("wrong secret", [("X-Hub-Signature-256", Self.githubSignature(body, secret: "guess"))], body),
                ("missing header", [], body),
                ("body changed by one byte", [("X-Hub-Signature-256", Self.githubSignature(body))], body.replacingOccurrences(of: "v1", with: "v2")),
                ("malformed header", [("X-Hub-Signature-256", "sha256=zz")], body),
            ]
            for (name, headers, sent) in cases {
                let reply = try await server.send(.POST, "/hooks/github", body: sent, headers: [("Content-Type", "application/json")] + headers)
                #expect(reply.status == 401, "\(name)")
                #expect(reply.json?["error"]?["code"]?.stringValue == "signature", "\(name)")
                #expect(!reply.text.contains(Self.secret), "\(name)")
            }
            #expect(try await server.runs().isEmpty)
            // The log says why, never with the secret.
            #expect(server.logs.text.contains("webhook delivery rejected"))
            #expect(!server.logs.text.contains(Self.secret))
        }
    }

    @Test func aRepeatedDeliveryAnswersWithTheFirstRun() async throws {
        try await withServer(["github.yaml": Self.github]) { server in
            let body = #"{"release":{"tag_name":"v2"}}"#
            let headers = [("Content-Type", "application/json"), ("X-Hub-Signature-256", Self.githubSignature(body)),
                           ("X-GitHub-Delivery", "same-delivery")]
            let first = try await server.send(.POST, "/hooks/github", body: body, headers: headers)
            let second = try await server.send(.POST, "/hooks/github", body: body, headers: headers)
            #expect(first.status == 202)
            #expect(second.status == 200)
            #expect(second.json?["duplicate"] == .bool(true))
            #expect(second.json?["run_id"] == first.json?["run_id"])
            #expect(try await server.runs(of: "github-release").count == 1)
        }
    }

    @Test func oversizedAndMalformedBodiesAreRefusedWithAMessage() async throws {
        try await withServer(["github.yaml": Self.github]) { server in
            let big = #"{"pad":""# + String(repeating: "x", count: 3000) + #""}"#
            let tooLarge = try await server.send(.POST, "/hooks/github", body: big, headers: [
                ("Content-Type", "application/json"), ("X-Hub-Signature-256", Self.githubSignature(big)),
            ])
            #expect(tooLarge.status == 413)
            #expect(tooLarge.json?["error"]?["message"]?.stringValue?.contains("2000 bytes") == true)

            let broken = #"{"release": {"tag_name": "v1",}}"#
            let malformed = try await server.send(.POST, "/hooks/github", body: broken, headers: [
                ("Content-Type", "application/json"), ("X-Hub-Signature-256", Self.githubSignature(broken)),
            ])
            #expect(malformed.status == 400)
            #expect(malformed.json?["error"]?["message"]?.stringValue?.contains("not valid JSON") == true)
            #expect(try await server.runs().isEmpty)
        }
    }

    @Test func unknownPathsAndMethodsAreNotFoundOrNotAllowed() async throws {
        try await withServer(["github.yaml": Self.github]) { (server: ServerHarness) async throws in
            #expect(try await server.send(.POST, "/hooks/nothing-here", body: "{}").status == 404)
            #expect(try await server.send(.GET, "/hooks/github").status == 405)
        }
    }

    @Test func aSyncWebhookAnswersWithWhatTheRespondStepSet() async throws {
        let yaml = """
            name: order-intake
            triggers:
              - webhook:
                  path: /hooks/orders
                  response: sync
                  response_timeout: 10s
            steps:
              - id: total
                transform: ${{ $sum(trigger.body.items.price) }}
              - id: answer
                respond:
                  status: 201
                  headers:
                    Location: /orders/${{ trigger.body.id }}
                  body:
                    id: ${{ trigger.body.id }}
                    total: ${{ steps.total.output }}
            """
        let plain = """
            name: echo
            triggers:
              - webhook: { path: /hooks/echo, response: sync }
            steps:
              - id: shout
                transform: ${{ $uppercase(trigger.body) }}
            """
        try await withServer(["orders.yaml": yaml, "echo.yaml": plain]) { server in
            let reply = try await server.send(.POST, "/hooks/orders", body: #"{"id":"A-7","items":[{"price":5},{"price":7.5}]}"#,
                                              headers: [("Content-Type", "application/json")])
            #expect(reply.status == 201)
            #expect(reply.headers.first(name: "Location") == "/orders/A-7")
            #expect(reply.json == .object(["id": "A-7", "total": 12.5]))

            // Without a respond step the answer is the run's output.
            let echo = try await server.send(.POST, "/hooks/echo", body: "hello", headers: [("Content-Type", "text/plain")])
            #expect(echo.status == 200)
            #expect(echo.text == #""HELLO""#)
        }
    }

    @Test func formBodiesAndHeadersReachTheTrigger() async throws {
        let yaml = """
            name: form
            triggers:
              - webhook: { path: /hooks/form }
            steps:
              - id: seen
                transform:
                  name: ${{ trigger.body.name }}
                  tags: ${{ trigger.body.tag }}
                  agent: ${{ trigger.headers.`x-agent` }}
                  page: ${{ trigger.query.page }}
                  sort: ${{ trigger.query.`sort[0]` }}
            """
        try await withServer(["form.yaml": yaml]) { server in
            let reply = try await server.send(.POST, "/hooks/form?page=2&sort%5B0%5D=due+date", body: "name=Ada+Lovelace&tag=a&tag=b",
                                              headers: [("Content-Type", "application/x-www-form-urlencoded"), ("X-Agent", "curl")])
            #expect(reply.status == 202)
            let run = try await server.finished(try #require(reply.json?["run_id"]?.stringValue))
            #expect(try JSONValue(parsing: run.output ?? "null")
                    == .object(["name": "Ada Lovelace", "tags": ["a", "b"], "agent": "curl", "page": "2", "sort": "due date"]))
        }
    }
}

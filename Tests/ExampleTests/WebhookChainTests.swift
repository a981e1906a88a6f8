import BatonStore
import Foundation
import JSONata
import Testing

/// Examples/webhook-chain: the real workflow file served by a real server; signed GitHub
/// deliveries go in, stand-ins for Slack, Discord and Linear receive what comes out.
@Suite("Example: webhook-chain")
struct WebhookChainTests {
    static let secret = "github-webhook-secret"
    static let notes = "## What's new\r\n- Faster builds & smaller binaries\r\n- `baton runs` <finally>\r\n\r\nThanks @everyone!"

    /// A `release` delivery as GitHub sends it (trimmed to the fields that matter here).
    static func release(action: String = "published", draft: Bool = false) -> String {
        let payload: JSONValue = [
            "action": .string(action),
            "release": [
                "id": 187_654_321, "tag_name": "v1.4.0", "name": "Baton 1.4.0", "draft": .bool(draft), "prerelease": false,
                "html_url": "https://github.com/acme/baton/releases/tag/v1.4.0", "body": .string(notes),
                "published_at": "2026-01-05T09:00:00Z", "author": ["login": "ada", "id": 1],
            ],
            "repository": ["id": 42, "full_name": "acme/baton", "html_url": "https://github.com/acme/baton"],
            "sender": ["login": "ada", "id": 1],
        ]
        return payload.serialized()
    }

    static func headers(_ body: String, event: String = "release", delivery: String, secret: String = secret) -> [(String, String)] {
        [("Content-Type", "application/json"), ("User-Agent", "GitHub-Hookshot/4e2a1c9"), ("X-GitHub-Event", event),
         ("X-GitHub-Delivery", delivery), ("X-GitHub-Hook-ID", "480000001"),
         ("X-Hub-Signature-256", Signatures.github(body, secret: secret))]
    }

    /// Runs `body` with the three stand-ins and a server serving the example.
    func withExample(team: String = LinearStandIn.team,
                     _ body: (ExampleServer, SlackStandIn, DiscordStandIn, LinearStandIn) async throws -> Void) async throws {
        let slack = SlackStandIn(), discord = DiscordStandIn(throttled: 1), linear = LinearStandIn()
        try await StandIn.running([slack.service, discord.service, linear.service]) {
            let server = try ExampleServer(example: "webhook-chain", files: ["github-release.yaml"], environment: [
                "LINEAR_URL": linear.service.url + "/graphql", "LINEAR_TEAM_ID": team,
                "BATON_SECRET_GITHUB_WEBHOOK_SECRET": Self.secret, "BATON_SECRET_SLACK_WEBHOOK_URL": slack.webhookURL,
                "BATON_SECRET_DISCORD_WEBHOOK_URL": discord.webhookURL, "BATON_SECRET_LINEAR_API_KEY": LinearStandIn.apiKey,
            ])
            try await server.serving { try await body(server, slack, discord, linear) }
        }
    }

    @Test("a published release: GitHub is answered at once, then Slack, Discord and Linear each get their message")
    func publishedRelease() async throws {
        try await withExample { server, slack, discord, linear in
            let body = Self.release()
            // Slack holds its answer until the gate opens: GitHub's answer cannot wait for it.
            let reply = try await server.post("/hooks/github/release", body: body, headers: Self.headers(body, delivery: "d-1001"))
            #expect(reply.status == 202)
            #expect(reply.elapsed < .seconds(5))   // generous for a loaded machine; Slack is still holding on
            let runID = try #require(reply.json?["run_id"]?.stringValue)
            #expect(try await server.eventually(10) { !slack.service.requests.isEmpty })
            #expect(try await server.store.run(id: runID)?.status.isTerminal == false)
            slack.gate.open()
            let run = try await server.finished(runID)
            #expect(run.status == .succeeded, "\(run.error ?? "")\n\(server.logs.text)")

            // Slack: a fallback text and blocks, with mrkdwn's &, < and > escaped.
            let message = try #require(slack.service.requests.first?.json)
            #expect(message["text"] == "acme/baton v1.4.0 is out: https://github.com/acme/baton/releases/tag/v1.4.0")
            let section = try #require(message["blocks"]?[0]?["text"]?["text"]?.stringValue)
            #expect(section.hasPrefix(":package: *<https://github.com/acme/baton/releases/tag/v1.4.0|acme/baton v1.4.0 is out>*\n"))
            #expect(section.contains("Faster builds &amp; smaller binaries"))
            #expect(section.contains("`baton runs` &lt;finally&gt;"))

            // Discord: one 429 with Retry-After: 1, honoured, then the message with its embed and no mentions.
            let posts = discord.service.requests
            #expect(posts.count == 2)
            if posts.count == 2 { #expect(posts[1].received - posts[0].received >= .milliseconds(950)) }
            let embedMessage = try #require(posts.last?.json)
            #expect(posts.last?.query["wait"] == "true")
            #expect(embedMessage["content"] == "📦 **acme/baton** v1.4.0 is out")
            #expect(embedMessage["embeds"]?[0]?["title"] == "Baton 1.4.0")
            #expect(embedMessage["embeds"]?[0]?["url"] == "https://github.com/acme/baton/releases/tag/v1.4.0")
            #expect(embedMessage["embeds"]?[0]?["color"] == 3066993)
            #expect(embedMessage["allowed_mentions"]?["parse"] == [])

            // Linear: the key as it is in Authorization, the issueCreate mutation with the team and texts.
            let request = try #require(linear.service.requests.first)
            #expect(request.headers["authorization"] == LinearStandIn.apiKey)
            let input = try #require(request.json?["variables"]?["input"])
            #expect(input["teamId"] == .string(LinearStandIn.team))
            #expect(input["title"] == "Follow up on acme/baton v1.4.0: docs, changelog, announcement")
            #expect(input["description"]?.stringValue?.hasPrefix(
                "[Baton 1.4.0](https://github.com/acme/baton/releases/tag/v1.4.0) was published by @ada.\n\n## What's new") == true)

            let summary = try #require(server.output(of: run))
            #expect(summary["issue"] == "ENG-142")
            #expect(summary["discord_message"] == "1310000000000000001")
            #expect(summary["slack"] == "succeeded")
        }
    }

    @Test("a redelivery starts nothing new; a bad signature is refused; other events and drafts post nothing")
    func deliveriesThatPostNothing() async throws {
        try await withExample { server, slack, discord, linear in
            slack.gate.open()
            let body = Self.release()
            let first = try await server.post("/hooks/github/release", body: body, headers: Self.headers(body, delivery: "d-2001"))
            #expect(first.status == 202)
            _ = try await server.finished(try #require(first.json?["run_id"]?.stringValue))
            let again = try await server.post("/hooks/github/release", body: body, headers: Self.headers(body, delivery: "d-2001"))
            #expect(again.status == 200)
            #expect(again.json?["duplicate"] == true)
            #expect(again.json?["run_id"] == first.json?["run_id"])

            let forged = try await server.post("/hooks/github/release", body: body,
                                               headers: Self.headers(body, delivery: "d-2002", secret: "not-the-secret"))
            #expect(forged.status == 401)

            let ping = #"{"zen":"Keep it logically awesome.","hook_id":480000001}"#
            let pinged = try await server.post("/hooks/github/release", body: ping, headers: Self.headers(ping, event: "ping", delivery: "d-2003"))
            let edited = Self.release(action: "edited")
            let edit = try await server.post("/hooks/github/release", body: edited, headers: Self.headers(edited, delivery: "d-2004"))
            let draft = Self.release(draft: true)
            let drafted = try await server.post("/hooks/github/release", body: draft, headers: Self.headers(draft, delivery: "d-2005"))
            for reply in [pinged, edit, drafted] {
                let run = try await server.finished(try #require(reply.json?["run_id"]?.stringValue))
                #expect(run.status == .succeeded)
            }
            #expect(try await server.runs(of: "github-release").count == 4)
            #expect(slack.service.requests.count == 1)
            #expect(discord.service.requests.count == 2)   // the 429 and its retry, for the first delivery only
            #expect(linear.service.requests.count == 1)
        }
    }

    @Test("a call that still fails fails the run, after the others were made, and says why")
    func failedCallFailsTheRun() async throws {
        try await withExample(team: "not-a-team") { server, slack, discord, linear in
            slack.gate.open()
            let body = Self.release()
            let reply = try await server.post("/hooks/github/release", body: body, headers: Self.headers(body, delivery: "d-3001"))
            let run = try await server.finished(try #require(reply.json?["run_id"]?.stringValue))
            #expect(run.status == .failed)
            #expect(run.error?.contains("Argument Validation Error") == true, "\(run.error ?? "")")
            #expect(slack.service.requests.count == 1)
            #expect(discord.service.requests.count == 2)
            #expect(linear.service.requests.count == 1)   // a GraphQL error is not retried: it would fail the same way
            let steps = try await server.steps(of: run)
            #expect(steps["check"]?.status == .failed)
            #expect(steps["summary"]?.status != .succeeded)   // the output is left to a retry
        }
    }
}

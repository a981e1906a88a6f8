import Foundation
import JSONata
import Testing
@testable import BatonCore

struct ValidWorkflowTests {
    @Test(arguments: FixturePaths.workflows(in: "valid"))
    func loadsWithoutErrors(_ name: String) {
        let result = WorkflowLoader.load(text: FixturePaths.text("valid", name), file: "valid/\(name)")
        #expect(result.diagnostics.map(\.description) == [])
        #expect(result.workflow != nil)
    }

    @Test func nameDefaultsToTheFileName() throws {
        let workflow = try #require(WorkflowLoader.load(text: FixturePaths.text("valid", "minimal.yaml"),
                                                        file: "Workflows/minimal.yaml").workflow)
        #expect(workflow.name == "minimal")
        #expect(workflow.triggers.isEmpty)
        #expect(workflow.overlap == .allow)
        guard case .transform(let output) = workflow.steps[0].action else {
            Issue.record("expected a transform step")
            return
        }
        #expect(output.literalValue == ["message": "Hello, world"])
    }

    @Test func crosspostModel() throws {
        let workflow = try #require(WorkflowLoader.load(text: FixturePaths.text("valid", "crosspost-article.yaml"),
                                                        file: "crosspost-article.yaml").workflow)
        #expect(workflow.concurrency == 4)
        #expect(workflow.triggers.map(\.kind) == ["webhook", "schedule"])
        guard case .webhook(let webhook) = workflow.triggers[0], case .schedule(let schedule) = workflow.triggers[1] else {
            Issue.record("expected a webhook then a schedule")
            return
        }
        #expect(webhook.path == "/hooks/article-published")
        #expect(webhook.method == "POST")
        #expect(webhook.scheme == .github)
        #expect(webhook.signatureHeader == "X-Hub-Signature-256")
        #expect(webhook.signaturePrefix == "sha256=")
        #expect(webhook.maxBodyBytes == 1 << 20)
        #expect(webhook.idempotencyKey?.singleExpression?.source == " trigger.headers.`x-delivery-id` ")
        #expect(schedule.timeZone.identifier == "Europe/Berlin")
        #expect(schedule.cron.source == "0 9 * * 1-5")

        let shorten = try #require(workflow.step("shorten"))
        #expect(shorten.dependencies == [])
        #expect(shorten.timeout == .seconds(10))
        #expect(shorten.retry == RetryPolicy(attempts: 5, backoff: .exponential, initial: .seconds(1), max: .seconds(60),
                                             jitter: true, when: RetryPolicy.defaultConditions))
        guard case .http(let request) = shorten.action else {
            Issue.record("expected an http step")
            return
        }
        #expect(request.method == "POST")
        guard case .interpolation(let parts) = request.url, parts.count == 2, case .text("/links") = parts[1] else {
            Issue.record("the url should interpolate env.SHORTENER_URL and '/links'")
            return
        }
        let mastodon = try #require(workflow.step("mastodon"))
        #expect(mastodon.dependencies == ["shorten"])
        #expect(mastodon.hasExplicitNeeds)
        #expect(mastodon.condition?.singleExpression != nil)
    }

    @Test func stepsWithoutNeedsFollowFileOrder() throws {
        let workflow = try #require(WorkflowLoader.load(text: FixturePaths.text("valid", "order-sync.yaml"),
                                                        file: "order-sync.yaml").workflow)
        #expect(workflow.steps.map(\.dependencies) == [
            [], ["validate_address"], ["create_shipment"], ["notify_lines"], ["create_shipment"],
            ["tracker", "notify_lines", "list_events"], ["hold"], ["approval"], ["child"],
        ])
        #expect(workflow.onFailure.map(\.id) == ["alert", "give_up"])
        #expect(workflow.inputs.map(\.name) == ["carrier", "dry_run"])
        #expect(workflow.inputs[0].defaultValue == "ups")
        #expect(workflow.inputs[1].kind == .boolean)
        #expect(workflow.connection("shipping")?.rateLimit == RateLimit(count: 10, period: .seconds(1)))
        #expect(workflow.connection("shop")?.rateLimit == RateLimit(count: 450, period: .seconds(900)))
        guard case .webhook(let webhook) = workflow.triggers[0] else {
            Issue.record("expected a webhook")
            return
        }
        #expect(webhook.scheme == .stripe)
        #expect(webhook.signatureHeader == "Stripe-Signature")
        #expect(webhook.tolerance == .seconds(300))
        #expect(webhook.response == .sync)
        #expect(webhook.maxBodyBytes == 256_000)
        let notify = try #require(workflow.step("notify_lines"))
        #expect(notify.forEach?.concurrency == 3)
        #expect(notify.onError == .continue)
        guard case .http(let request) = notify.action else {
            Issue.record("expected an http step")
            return
        }
        #expect(request.method == "PATCH")
        #expect(request.connection == "shop")
    }

    @Test func jsonWorkflowsLoadToo() throws {
        let workflow = try #require(WorkflowLoader.load(text: FixturePaths.text("valid", "status-check.json"),
                                                        file: "status-check.json").workflow)
        #expect(workflow.name == "status-check")
        guard case .schedule(let schedule) = workflow.triggers.first else {
            Issue.record("expected a schedule")
            return
        }
        #expect(schedule.catchUp == .latest)
        #expect(schedule.timeZone.secondsFromGMT() == 0)
    }

    @Test func yamlCoreSchemaKeepsYesAndNoAsStrings() throws {
        let text = """
            steps:
              - id: a
                transform: {country: NO, answer: yes, flag: true, count: 010, hex: 0x1F, empty: ~}
            """
        let workflow = try #require(WorkflowLoader.load(text: text, file: "t.yaml").workflow)
        guard case .transform(let output) = workflow.steps[0].action else {
            Issue.record("expected a transform")
            return
        }
        // Typed on its own: inside #expect an untyped literal is inferred differently.
        let expected: JSONValue = ["country": "NO", "answer": "yes", "flag": true, "count": 10, "hex": 31, "empty": .null]
        #expect(output.literalValue == expected)
    }

    @Test func warningsDoNotStopLoading() throws {
        let text = """
            steps:
              - id: a
                transform: 1
                retry: 3
            """
        let result = WorkflowLoader.load(text: text, file: "w.yaml")
        #expect(result.workflow != nil)
        #expect(result.diagnostics.map(\.description) == [
            "w.yaml:4:5: warning: 'retry' on a transform step has no effect: only steps that call out can fail transiently",
        ])
    }
}

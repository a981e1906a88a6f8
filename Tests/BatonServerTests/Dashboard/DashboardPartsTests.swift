import BatonStore
import Foundation
import Testing
@testable import BatonServer

/// The dashboard's pure parts: escaping, sessions and CSRF tokens, filters, timeline geometry.
struct DashboardPartsTests {
    @Test func interpolatedTextIsEscapedAndMarkupIsNot() {
        let payload = #"<script>alert(1)</script> "'&"#
        let html: HTML = "<p title=\"\(payload)\">\(payload)</p>\(HTML(stringLiteral: "<br>"))"
        #expect(html.text == #"<p title="&lt;script&gt;alert(1)&lt;/script&gt; &quot;&#39;&amp;">&lt;script&gt;alert(1)&lt;/script&gt; &quot;&#39;&amp;</p><br>"#)
        #expect(HTML.escape("a\u{0}b\u{1B}c\td\ne") == "a&#xFFFD;b&#xFFFD;c\td\ne")
    }

    @Test func jsonIsATreeOfEscapedValues() {
        let html = JSONView.content(#"{"msg":"<b>hi</b>","n":[1,true,null],"o":{}}"#).text
        #expect(html.contains(#"<span class="k">&quot;msg&quot;</span>: <span class="s">&quot;&lt;b&gt;hi&lt;/b&gt;&quot;</span>"#))
        #expect(html.contains(#"<span class="n">1</span>"#) && html.contains(#"<span class="b">true</span>"#))
        #expect(html.contains("<details open><summary>[<span class=\"c\"> 3 items</span></summary>"))
        #expect(html.contains("{}"))
        #expect(!html.contains("<b>"))
        // Text that is not JSON is shown as it is, escaped.
        #expect(JSONView.content("not <json>").text == #"<span class="s">not &lt;json&gt;</span>"#)
    }

    @Test func localRedirectTargetsOnly() {
        #expect(DashboardURL.isLocal("/runs?status=failed"))
        for target in ["//evil.example", "https://evil.example", "/\\evil.example", "runs", "/a\nb", ""] {
            #expect(!DashboardURL.isLocal(target), "\(target)")
        }
        #expect(Dashboard.nextTarget("//evil.example/x") == "/")
        #expect(Dashboard.nextTarget("/login?next=/") == "/")
        #expect(DashboardURL.make("/runs", [("q", "a b&c=d/é"), ("status", ""), ("cursor", nil)]) == "/runs?q=a%20b%26c%3Dd%2F%C3%A9")
    }

    @Test func formsDecodePlusAndPercentAndKeepTheFirstValue() {
        let form = DashboardForm.parse("q=a+b%2Bc&csrf=1&csrf=2&empty=&bad=%zz")
        #expect(form["q"] == "a b+c")
        #expect(form["csrf"] == "1")
        #expect(form["empty"] == "")
        #expect(form["bad"] == nil)
    }

    @Test func aSessionIsSignedExpiresAndHasItsOwnCSRFToken() throws {
        let sessions = DashboardSessions(apiToken: "tok-123")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let value = sessions.issue(now: now)
        #expect(!value.contains("tok-123"))
        let session = try #require(sessions.session(value, now: now.addingTimeInterval(60)))
        #expect(sessions.isValidCSRF(session.csrfToken, for: session))
        #expect(!sessions.isValidCSRF(nil, for: session) && !sessions.isValidCSRF("", for: session))

        let other = try #require(sessions.session(sessions.issue(now: now), now: now))
        #expect(other.csrfToken != session.csrfToken)
        #expect(!sessions.isValidCSRF(other.csrfToken, for: session))

        #expect(sessions.session(value, now: now.addingTimeInterval(DashboardSessions.lifetime + 1)) == nil)
        // Another token's sessions, a changed expiry and garbage are all refused.
        #expect(DashboardSessions(apiToken: "tok-456").session(value, now: now) == nil)
        var parts = value.split(separator: ".").map(String.init)
        parts[1] = String(Int(parts[1])! + 86_400)
        #expect(sessions.session(parts.joined(separator: "."), now: now) == nil)
        #expect(sessions.session("v1.1.2.3", now: now) == nil)
        #expect(sessions.isAPIToken("tok-123") && !sessions.isAPIToken("tok-12") && !sessions.isAPIToken(""))
    }

    @Test func filterProblemsAreReportedTogether() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let bad = RunListQuery(DashboardForm.parse("status=broken&trigger=fax&since=yesterday&cursor=x&done=1"), now: now)
        #expect(bad.problems.count == 4, "\(bad.problems)")
        for field in ["status 'broken'", "trigger 'fax'", "since 'yesterday'", "cursor 'x'"] {
            #expect(bad.problems.contains { $0.hasPrefix(field) }, "\(field): \(bad.problems)")
        }
        let good = RunListQuery(DashboardForm.parse("workflow=post&status=failed&trigger=&since=24h&until=2027-01-15&q=boom"), now: now)
        #expect(good.problems.isEmpty)
        #expect(good.filter.workflowName == "post" && good.filter.statuses == [.failed] && good.filter.text == "boom")
        #expect(good.filter.triggerKind == nil)
        #expect(good.filter.since == now.addingTimeInterval(-86_400))
        #expect(good.url(cursor: nil) == "/runs?workflow=post&status=failed&since=24h&until=2027-01-15&q=boom")
    }

    @Test func timelineBarsArePlacedByStartAndSizedByDuration() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let run = Self.run(start: start, end: start.addingTimeInterval(10))
        let steps = [
            StepExecution(runID: "r", key: StepKey("a"), status: .succeeded, input: nil, output: nil, error: nil,
                          startedAt: start, finishedAt: start.addingTimeInterval(2), wakeAt: nil, attemptCount: 1, updatedAt: start),
            StepExecution(runID: "r", key: StepKey("b"), status: .failed, input: nil, output: nil, error: "boom",
                          startedAt: start.addingTimeInterval(5), finishedAt: start.addingTimeInterval(10), wakeAt: nil,
                          attemptCount: 2, updatedAt: start),
            StepExecution(runID: "r", key: StepKey("c"), status: .skipped, input: nil, output: nil, error: nil,
                          startedAt: nil, finishedAt: nil, wakeAt: nil, attemptCount: 0, updatedAt: start),
        ]
        let attempts = [
            Attempt(runID: "r", key: StepKey("b"), attempt: NewAttempt(number: 1, startedAt: start.addingTimeInterval(5),
                                                                         duration: .seconds(1), responseStatus: 500, error: "answered 500")),
            Attempt(runID: "r", key: StepKey("b"), attempt: NewAttempt(number: 2, startedAt: start.addingTimeInterval(9),
                                                                         duration: .milliseconds(1), error: "timed out")),
        ]
        let timeline = RunTimeline(run: run, steps: steps, attempts: attempts, now: start.addingTimeInterval(60))
        #expect(timeline.total == 10)
        #expect(timeline.bars.map(\.label) == ["a", "b", "attempt 1", "attempt 2", "c"])
        #expect(timeline.bars.map(\.status) == ["succeeded", "failed", "failed", "failed", "skipped"])
        #expect(timeline.bars.map(\.left) == [0, 50, 50, 90, 0])
        // A 1 ms attempt still gets a visible bar; a step that never ran gets none.
        #expect(timeline.bars.map(\.width) == [20, 50, 10, RunTimeline.minimumWidth, 0])
        #expect(timeline.bars[4].offset == nil)
        #expect(timeline.bars[2].note == "HTTP 500")
    }

    @Test func dashboardPathsAreNotWebhookPaths() {
        for path in ["/", "/login", "/logout", "/runs", "/runs/01ABC", "/static/dashboard.css", "/api/runs", "/healthz"] {
            #expect(WorkflowRegistry.isReserved(path), "\(path)")
        }
        for path in ["/hooks/runs", "/runners", "/loginx"] {
            #expect(!WorkflowRegistry.isReserved(path), "\(path)")
        }
    }

    static func run(start: Date, end: Date?) -> Run {
        Run(id: "r", workflowVersionID: 1, workflowName: "w", triggerKind: .manual, triggerPayload: nil, inputs: nil,
            idempotencyKey: nil, status: end == nil ? .running : .failed, output: nil, error: nil, createdAt: start,
            startedAt: start, finishedAt: end, updatedAt: end ?? start, wakeAt: nil, leaseOwner: nil, leaseExpiresAt: nil,
            heartbeatAt: nil, claimCount: 1)
    }
}

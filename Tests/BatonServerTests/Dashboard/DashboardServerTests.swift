import BatonStore
import Foundation
import JSONata
import Testing

/// The dashboard of the real server over HTTP: signing in and out, the cookie, CSRF, the pages'
/// content, filters and paging, and escaping of what runs carry.
@Suite(.timeLimit(.minutes(2)))
struct DashboardServerTests {
    static let echo = """
        name: echo
        description: Echoes what it is given.
        triggers:
          - webhook: { path: /hooks/echo }
        steps:
          - id: repeat
            transform: ${{ trigger.body }}
          - id: refuse
            if: ${{ trigger.body.ok = false }}
            fail: "order ${{ trigger.body.order }} was refused"
        """
    static let hold = """
        name: hold
        steps:
          - id: pause
            wait: 1h
        """

    func withServer(_ body: (ServerHarness) async throws -> Void) async throws {
        let harness = try ServerHarness()
        defer { harness.remove() }
        try harness.write("echo.yaml", Self.echo)
        try harness.write("hold.yaml", Self.hold)
        try await harness.start()
        do { try await body(harness) } catch { await harness.stop(); throw error }
        await harness.stop()
    }

    @Test func pagesRedirectToSignInAndBackAfterwards() async throws {
        try await withServer { server in
            var browser = DashboardClient(server: server)
            let home = try await browser.get("/")
            #expect(home.status == 303)
            #expect(home.headers.first(name: "Location") == "/login")
            let runs = try await browser.get("/runs?status=failed")
            #expect(runs.headers.first(name: "Location") == "/login?next=%2Fruns%3Fstatus%3Dfailed")
            let form = try await browser.get("/login?next=%2Fruns%3Fstatus%3Dfailed")
            #expect(form.status == 200)
            #expect(form.text.contains(#"<input type="hidden" name="next" value="/runs?status=failed">"#))

            let wrong = try await browser.post("/login", form: [("token", "nope"), ("next", "/runs")])
            #expect(wrong.status == 401)
            #expect(wrong.text.contains("That is not the server&#39;s API token."))
            #expect(DashboardClient.sessionCookie(wrong) == nil)

            let right = try await browser.post("/login", form: [("token", server.token), ("next", "/runs?status=failed")])
            #expect(right.status == 303)
            #expect(right.headers.first(name: "Location") == "/runs?status=failed")
            let setCookie = try #require(right.headers["Set-Cookie"].first)
            for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
                #expect(setCookie.contains(attribute), "\(setCookie)")
            }
            #expect(!setCookie.contains(server.token))
            browser.cookie = DashboardClient.sessionCookie(right)
            let page = try await browser.get("/")
            #expect(page.status == 200)
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("default-src 'none'") == true)
            #expect(page.text.contains("<strong>echo</strong>") && page.text.contains("webhook POST /hooks/echo"))
            // An outside target after signing in is ignored.
            let outside = try await browser.post("/login", form: [("token", server.token), ("next", "//evil.example/")])
            #expect(outside.headers.first(name: "Location") == "/")
        }
    }

    @Test func aTokenLinkSignsInAndSignOutForgetsTheCookie() async throws {
        try await withServer { server in
            var browser = DashboardClient(server: server)
            #expect(try await browser.get("/login?token=wrong").status == 401)
            let link = try await browser.get("/login?token=\(server.token)&next=/runs")
            #expect(link.status == 303)
            #expect(link.headers.first(name: "Location") == "/runs")
            browser.cookie = try #require(DashboardClient.sessionCookie(link))
            #expect(try await browser.get("/runs").status == 200)

            let token = try await browser.csrfToken(on: "/runs")
            #expect(try await browser.post("/logout", form: [("csrf", "forged")]).status == 403)
            let out = try await browser.post("/logout", form: [("csrf", token)])
            #expect(out.status == 303)
            #expect(out.headers.first(name: "Location") == "/login")
            #expect(out.headers["Set-Cookie"].first?.contains("Max-Age=0") == true)
        }
    }

    @Test func forgedAndExpiredCookiesAreRefused() async throws {
        try await withServer { server in
            var browser = DashboardClient(server: server)
            for forged in ["baton_session=\(server.token)", "baton_session=v1.9999999999.\(String(repeating: "a", count: 32)).00"] {
                #expect(try await DashboardClient(server: server, cookie: forged).get("/").status == 303)
            }
            try await browser.signIn()
            #expect(try await browser.get("/").status == 200)
            server.clock.advance(by: 13 * 3600)
            #expect(try await browser.get("/").status == 303)
        }
    }

    @Test func actionsNeedTheSessionsCSRFTokenAndCancelWorks() async throws {
        try await withServer { server in
            var browser = DashboardClient(server: server)
            try await browser.signIn()
            var other = DashboardClient(server: server)
            try await other.signIn()
            let created = try await server.send(.POST, "/api/workflows/hold/runs", body: "{}", authorized: true)
            let runID = try #require(created.json?["run_id"]?.stringValue)
            try await server.eventually { try await server.store.run(id: runID)?.status == .waiting }

            let page = try await browser.get("/runs/\(runID)")
            #expect(page.text.contains(#"<button type="submit" class="danger" title="Stop this run">Cancel</button>"#))
            let otherToken = try await other.csrfToken(on: "/runs/\(runID)")
            for form in [[], [("csrf", "")], [("csrf", "nope")], [("csrf", otherToken)]] {
                let refused = try await browser.post("/runs/\(runID)/cancel", form: form)
                #expect(refused.status == 403, "\(form)")
                #expect(refused.text.contains("Nothing was done"))
            }
            #expect(try await DashboardClient(server: server).post("/runs/\(runID)/cancel", form: [("csrf", otherToken)]).status == 401)
            #expect(try await server.store.run(id: runID)?.status == .waiting)

            let token = try await browser.csrfToken(on: "/runs/\(runID)")
            let done = try await browser.post("/runs/\(runID)/cancel", form: [("csrf", token)])
            #expect(done.status == 303)
            #expect(done.headers.first(name: "Location") == "/runs/\(runID)?done=cancelled")
            #expect(try await server.store.run(id: runID)?.status == .cancelled)
            let after = try await browser.get("/runs/\(runID)?done=cancelled")
            #expect(after.text.contains("The run was cancelled."))
            // Cancelling twice is harmless; cancelling a finished run is refused with the reason.
            #expect(try await browser.post("/runs/\(runID)/cancel", form: [("csrf", token)]).status == 303)
            let echoed = try await server.send(.POST, "/hooks/echo", body: "{}", headers: [("Content-Type", "application/json")])
            let finished = try #require(echoed.json?["run_id"]?.stringValue)
            _ = try await server.finished(finished)
            let refused = try await browser.post("/runs/\(finished)/cancel", form: [("csrf", token)])
            #expect(refused.status == 409)
            #expect(refused.text.contains("Nothing was done: run \(finished) already succeeded"))
        }
    }

    @Test func retryAndReplayMakeNewRunsLinkedToTheOriginal() async throws {
        try await withServer { server in
            var browser = DashboardClient(server: server)
            try await browser.signIn()
            let delivered = try await server.send(.POST, "/hooks/echo", body: #"{"order":7,"ok":false}"#,
                                                  headers: [("Content-Type", "application/json")])
            let failedID = try #require(delivered.json?["run_id"]?.stringValue)
            #expect(try await server.finished(failedID).status == .failed)
            let page = try await browser.get("/runs/\(failedID)")
            #expect(page.text.contains("<strong>fail</strong>: order 7 was refused"))
            let token = try await browser.csrfToken(on: "/runs/\(failedID)")

            let retried = try await browser.post("/runs/\(failedID)/retry", form: [("csrf", token)])
            #expect(retried.status == 303)
            let retryPath = try #require(retried.headers.first(name: "Location"))
            #expect(retryPath.hasSuffix("?done=retried&from=\(failedID)"))
            let retryID = String(retryPath.dropFirst("/runs/".count).prefix { $0 != "?" })
            #expect(retryID != failedID)
            let retry = try await server.finished(retryID)
            #expect(retry.triggerKind == .retry)
            let retryPage = try await browser.get(retryPath)
            #expect(retryPage.text.contains("This run retries run \(failedID)"))
            #expect(retryPage.text.contains(#"<dt>Made from</dt><dd>retry of <a class="mono" href="/runs/\#(failedID)">"#))
            let original = try await browser.get("/runs/\(failedID)")
            #expect(original.text.contains(#"<dt>Made from it</dt><dd><div>retry: <a class="mono" href="/runs/\#(retryID)">"#))

            let replayed = try await browser.post("/runs/\(failedID)/replay", form: [("csrf", token)])
            #expect(replayed.status == 303)
            let replayPath = try #require(replayed.headers.first(name: "Location"))
            let replayID = String(replayPath.dropFirst("/runs/".count).prefix { $0 != "?" })
            #expect(try await server.finished(replayID).triggerKind == .webhook)
            #expect(try await browser.get(replayPath).text.contains("This run replays run \(failedID) from the start"))
            #expect(try await browser.post("/runs/\(failedID)/explode", form: [("csrf", token)]).status == 404)
            #expect(try await browser.post("/runs/nope/retry", form: [("csrf", token)]).status == 404)
        }
    }

    @Test func everyValueFromARunIsEscaped() async throws {
        try await withServer { server in
            var browser = DashboardClient(server: server)
            try await browser.signIn()
            let hostile = #"<script>alert(1)</script> "'&"#
            let body = JSONValue.object(["msg": .string(hostile), "<img src=x onerror=alert(2)>": true]).serialized()
            let delivered = try await server.send(.POST, "/hooks/echo", body: body, headers: [("Content-Type", "application/json")])
            let runID = try #require(delivered.json?["run_id"]?.stringValue)
            _ = try await server.finished(runID)

            let page = try await browser.get("/runs/\(runID)")
            #expect(page.status == 200)
            #expect(!page.text.contains("<script") && !page.text.contains("<img"))
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\&quot;&#39;&amp;"))
            #expect(page.text.contains("&quot;&lt;img src=x onerror=alert(2)&gt;&quot;"))
            let list = try await browser.get("/runs?q=\(DashboardURLEncoding.encode("<script>"))")
            #expect(list.status == 200)
            #expect(list.text.contains(#"value="&lt;script&gt;""#) && !list.text.contains("<script"))
            #expect(list.text.contains(runID))
        }
    }

    @Test func theRunsPageFiltersAndPagesOlderRuns() async throws {
        try await withServer { server in
            var browser = DashboardClient(server: server)
            try await browser.signIn()
            for index in 0..<52 {
                _ = try await server.send(.POST, "/hooks/echo", body: #"{"n":\#(index)}"#, headers: [("Content-Type", "application/json")])
            }
            try await server.eventually(20) { try await server.store.countRuns(filter: RunFilter(statuses: [.succeeded])) == 52 }
            _ = try await server.send(.POST, "/api/workflows/hold/runs", body: "{}", authorized: true)
            try await server.eventually { try await server.store.countRuns(filter: RunFilter(statuses: [.waiting])) == 1 }

            let first = try await browser.get("/runs?workflow=echo&status=succeeded&since=1h")
            #expect(first.status == 200)
            #expect(first.text.components(separatedBy: "<td><span class=\"status succeeded\">").count - 1 == 50)
            let older = try #require(first.text.range(of: #"<a rel="next" href=""#)).upperBound
            let link = String(first.text[older...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
            #expect(link.hasPrefix("/runs?workflow=echo&status=succeeded&since=1h&cursor="))
            let second = try await browser.get(link)
            #expect(second.text.components(separatedBy: "<td><span class=\"status succeeded\">").count - 1 == 2)
            #expect(!second.text.contains(#"rel="next""#) && second.text.contains("← Newest runs"))
            #expect(!first.text.contains(">hold<") && !second.text.contains(">hold<"))

            let text = try await browser.get("/runs?q=%22n%22%3A7%7D")
            #expect(text.text.components(separatedBy: "<td><span class=\"status").count - 1 == 1)
            let bad = try await browser.get("/runs?status=done&until=soon")
            #expect(bad.status == 400)
            #expect(bad.text.contains("status &#39;done&#39; is not a run status") && bad.text.contains("until &#39;soon&#39; is not a time"))

            let home = try await browser.get("/")
            #expect(home.text.contains(#"href="/runs?workflow=echo&amp;status=succeeded&amp;since=24h">52 succeeded</a>"#))
            #expect(home.text.contains(#">1 waiting</a>"#))
        }
    }
}

/// Percent-encoding for test URLs.
enum DashboardURLEncoding {
    static func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
}

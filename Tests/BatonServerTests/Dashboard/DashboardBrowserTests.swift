import Foundation
import Hummingbird
import Logging
import NIOCore
import Testing

/// The dashboard in a real browser: headless Chromium loads the pages of a server with a few
/// runs (one failed after three attempts against an API that answers 500) and the test checks
/// what a person would see there.
@Suite(.timeLimit(.minutes(3)))
struct DashboardBrowserTests {
    static let shipOrder = """
        name: ship-order
        description: Charges an order, then tells the warehouse.
        triggers:
          - webhook: { path: /hooks/orders }
        steps:
          - id: validate
            transform: ${{ trigger.body.order }}
          - id: charge
            http:
              method: POST
              url: ${{ env.PAYMENTS }}/charges
              json:
                order: ${{ steps.validate.output.id }}
                amount: ${{ steps.validate.output.total }}
            retry: { attempts: 3, initial: 150ms }
          - id: notify
            transform: ${{ "shipped " & steps.validate.output.id }}
        """
    static let greet = """
        name: greet
        steps:
          - id: hello
            transform: ${{ "hello " & inputs.who }}
        inputs:
          who: string
        """

    @Test(.enabled(if: Chromium.find() != nil,
                   "no chromium binary on PATH: install Debian's chromium package (.ci/run does) to test the dashboard in a real browser"))
    func aPersonSeesWhyARunFailed() async throws {
        let browser = try #require(Chromium.find())
        let payments = try await FailingAPI.start()
        defer { payments.stop() }
        let server = try ServerHarness(environment: ["PAYMENTS": payments.url])
        defer { server.remove() }
        try server.write("ship-order.yaml", Self.shipOrder)
        try server.write("greet.yaml", Self.greet)
        try await server.start()
        do { try await check(server, in: browser) } catch { await server.stop(); throw error }
        await server.stop()
    }

    private func check(_ server: ServerHarness, in browser: Chromium) async throws {
        let greeted = try await server.send(.POST, "/api/workflows/greet/runs", body: #"{"who":"Ada"}"#, authorized: true)
        _ = try await server.finished(try #require(greeted.json?["run_id"]?.stringValue))
        let order = #"{"order":{"id":"A-1042","total":129.5,"note":"<script>alert(1)</script> \"'&"}}"#
        let delivered = try await server.send(.POST, "/hooks/orders", body: order, headers: [("Content-Type", "application/json")])
        let runID = try #require(delivered.json?["run_id"]?.stringValue)
        #expect(try await server.finished(runID).status == .failed)

        // The way a person opens the dashboard from a terminal: a sign-in link that goes on to the page.
        func signedIn(_ path: String) -> String {
            server.url + "/login?token=\(server.token)&next=" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }

        let run = try await browser.dumpDOM(signedIn("/runs/\(runID)"))
        #expect(run.contains("<h1>Run <code>\(runID)</code>"), "the run page did not load: \(run.prefix(2000))")
        #expect(run.contains(#"<section class="card step failed" id="step-charge">"#))
        #expect(run.contains(#"<span class="muted attempts">3 attempts"#))
        #expect(run.contains("answered 500 Internal Server Error"))
        #expect(run.contains("card declined by upstream"))
        #expect(run.contains(#"<section class="card step succeeded" id="step-validate">"#))
        #expect(run.contains("Did not run: <code>notify</code>"))
        // One bar for the failed step and one for each of its three attempts.
        #expect(run.components(separatedBy: #"<div class="bar failed""#).count - 1 == 4)
        // The payload's markup is text on the page, not elements.
        #expect(run.contains(#"&lt;script&gt;alert(1)&lt;/script&gt; \"'&amp;"#))
        #expect(!run.contains("<script"))
        #expect(run.contains(#"<button type="submit" class="primary" title="Run the failed steps again, keeping what succeeded">Retry</button>"#))

        let runs = try await browser.dumpDOM(signedIn("/runs?status=failed"))
        #expect(runs.contains(runID))
        #expect(!runs.contains(">greet<"))
        let workflows = try await browser.dumpDOM(signedIn("/"))
        #expect(workflows.contains(">1 failed</a>") && workflows.contains(">1 succeeded</a>"))
        let signedOut = try await browser.dumpDOM(server.url + "/runs")
        #expect(signedOut.contains("<h1>Sign in</h1>"))

        let shot = server.directory.appendingPathComponent("run-page.png").path
        try await browser.screenshot(signedIn("/runs/\(runID)"), to: shot)
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 20_000, "a screenshot of a rendered page is larger than \(png.count) bytes")
        // `BATON_UPDATE_SCREENSHOT=1 swift test --filter DashboardBrowserTests` refreshes the README's picture.
        if ProcessInfo.processInfo.environment["BATON_UPDATE_SCREENSHOT"] == "1" {
            let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs")
            try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
            let target = docs.appendingPathComponent("run-page.png")
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(atPath: shot, toPath: target.path)
        }
    }
}

/// A payments API on 127.0.0.1 that declines every charge with a 500.
final class FailingAPI: @unchecked Sendable {
    private(set) var url = ""
    private var task: Task<Void, any Error>?

    static func start() async throws -> FailingAPI {
        let api = FailingAPI()
        let router = Router()
        router.post("charges") { _, _ -> Response in
            Response(status: .internalServerError, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: #"{"error":"card declined by upstream"}"#)))
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        // Quiet: stopping it by cancellation is expected here and would log an error.
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: Logger(label: "failing-api", factory: { _ in SwiftLogNoOpLogHandler() }))
        api.task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = stream.makeAsyncIterator()
        api.url = "http://127.0.0.1:\(await iterator.next() ?? 0)"
        return api
    }

    func stop() { task?.cancel() }
}

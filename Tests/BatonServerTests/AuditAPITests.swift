import BatonStore
import Foundation
import JSONata
import Testing

/// The audit API of the real server: listing with filters and cursors, a run in full, the
/// streamed export and the workflows with their counts.
@Suite(.timeLimit(.minutes(3)))
struct AuditAPITests {
    static let orders = """
        name: orders
        triggers:
          - webhook:
              path: /hooks/orders
          - schedule:
              cron: "0 9 * * *"
        steps:
          - id: check
            transform: ${{ trigger.body.order }}
          - id: refuse
            if: ${{ trigger.body.ok = false }}
            fail: "order ${{ trigger.body.order }} was refused"
        """

    static let greet = """
        name: greet
        inputs:
          who: string
        steps:
          - id: hello
            transform: ${{ "hello " & inputs.who }}
        """

    /// A clock at noon UTC today, nine hours from the 09:00 schedule of `orders`: on the real
    /// clock a suite that ran across 09:00 UTC saw the schedule fire an eighth run.
    static func clockAtNoon() -> OffsetClock {
        let now = Date().timeIntervalSince1970
        let noon = (now / 86400).rounded(.down) * 86400 + 12 * 3600
        return OffsetClock(offset: noon - now)
    }

    /// A server with `orders` and `greet`, seven webhook runs of `orders` (orders A-101...A-107,
    /// A-103 and A-106 refused) and one manual run of `greet`, all finished. Returns their ids, newest first.
    func withRuns(_ body: (ServerHarness, [String]) async throws -> Void) async throws {
        let harness = try ServerHarness(clock: Self.clockAtNoon())
        defer { harness.remove() }
        try harness.write("orders.yaml", Self.orders)
        try harness.write("greet.yaml", Self.greet)
        try await harness.start()
        do {
            var ids: [String] = []
            for number in 101...107 {
                let ok = number != 103 && number != 106
                let reply = try await harness.send(.POST, "/hooks/orders", body: #"{"order":"A-\#(number)","ok":\#(ok),"note":"a, \"b\""}"#,
                                                   headers: [("Content-Type", "application/json")])
                try #require(reply.status == 202, "\(reply.text)")
                ids.append(try #require(reply.json?["run_id"]?.stringValue))
            }
            let manual = try await harness.send(.POST, "/api/workflows/greet/runs", body: #"{"who":"Ada"}"#, authorized: true)
            ids.append(try #require(manual.json?["run_id"]?.stringValue))
            for id in ids { _ = try await harness.finished(id) }
            try await body(harness, ids.reversed())
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    private func ids(_ server: ServerHarness, _ query: String) async throws -> [String] {
        let reply = try await server.send(.GET, "/api/runs" + query, authorized: true)
        try #require(reply.status == 200, "\(query): \(reply.text)")
        return reply.json?["runs"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }

    @Test func listsFilterNewestFirst() async throws {
        try await withRuns { server, newestFirst in
            #expect(try await ids(server, "") == newestFirst)
            #expect(try await ids(server, "?workflow=orders") == Array(newestFirst.dropFirst()))
            #expect(try await ids(server, "?trigger=manual") == [newestFirst[0]])
            #expect(try await ids(server, "?status=failed") == [newestFirst[2], newestFirst[5]])
            #expect(try await ids(server, "?status=failed,succeeded&workflow=orders").count == 7)
            #expect(try await ids(server, "?q=a-103") == [newestFirst[5]])
            #expect(try await ids(server, "?q=was%20refused") == [newestFirst[2], newestFirst[5]])
            #expect(try await ids(server, "?since=1h").count == 8)
            #expect(try await ids(server, "?since=2999-01-01T00:00:00Z").isEmpty)
            #expect(try await ids(server, "?until=1h").isEmpty)

            let page = try await server.send(.GET, "/api/runs?status=failed&limit=1", authorized: true)
            let failed = try #require(page.json?["runs"]?[0])
            #expect(failed["workflow"]?.stringValue == "orders")
            #expect(failed["trigger"]?.stringValue == "webhook")
            #expect(failed["error"]?["message"]?.stringValue == "order A-106 was refused")
            #expect(failed["duration_ms"]?.numberValue != nil)
        }
    }

    @Test func theCursorVisitsEveryRunOnce() async throws {
        try await withRuns { server, newestFirst in
            var seen: [String] = []
            var cursor: String? = nil
            var pages = 0
            repeat {
                let query = "?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let reply = try await server.send(.GET, "/api/runs" + query, authorized: true)
                seen += reply.json?["runs"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                cursor = reply.json?["next_cursor"]?.stringValue
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == newestFirst)
        }
    }

    @Test func badFiltersAnswer400SayingWhatIsAllowed() async throws {
        try await withRuns { server, _ in
            let event = try await server.send(.GET, "/api/runs?trigger=event", authorized: true)
            #expect(event.status == 400)
            #expect(event.json?["error"]?["code"]?.stringValue == "bad_query")
            #expect(event.json?["error"]?["message"]?.stringValue
                == "trigger 'event' is not a trigger kind; use webhook, schedule, poll, manual or retry")
            let several = try await server.send(.GET, "/api/runs?status=done&limit=501&since=yesterday&stauts=x", authorized: true)
            #expect(several.status == 400)
            let problems = several.json?["error"]?["problems"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(problems == [
                "status 'done' is not a run status; use queued, running, waiting, succeeded, failed or cancelled",
                "limit '501' must be a whole number from 1 to 500",
                "since 'yesterday' is not a time; use ISO 8601 like 2026-03-29T09:00:00Z, or a duration before now like 30m, 24h or 7d",
                "unknown parameter 'stauts'; use workflow, status, trigger, since, until, q, limit or cursor",
            ])
            let cursor = try await server.send(.GET, "/api/runs?cursor=garbage", authorized: true)
            #expect(cursor.status == 400)
            #expect(try await server.send(.GET, "/api/runs").status == 401)
        }
    }

    @Test func aRunInFull() async throws {
        try await withRuns { server, newestFirst in
            let reply = try await server.send(.GET, "/api/runs/\(newestFirst[2])", authorized: true)
            #expect(reply.status == 200)
            let run = try #require(reply.json)
            #expect(run["status"]?.stringValue == "failed")
            #expect(run["trigger_payload"]?["body"]?["order"]?.stringValue == "A-106")
            #expect(run["error"]?["step"]?.stringValue == "refuse")
            #expect(run["duration_ms"]?.numberValue != nil)
            #expect(run["origin"] == .null)
            #expect(run["derived"] == .array([]))
            let steps = run["steps"]?.arrayValue ?? []
            #expect(steps.compactMap { $0["id"]?.stringValue } == ["check", "refuse"])
            #expect(steps.first?["output"]?.stringValue == "A-106")
            #expect(steps.last?["status"]?.stringValue == "failed")
            #expect(steps.last?["error"]?["message"]?.stringValue == "order A-106 was refused")
            let missing = try await server.send(.GET, "/api/runs/01NOPE", authorized: true)
            #expect(missing.status == 404)
            #expect(missing.json?["error"]?["code"]?.stringValue == "not_found")
        }
    }

    @Test func exportsStreamJSONLinesAndCSV() async throws {
        try await withRuns { server, newestFirst in
            let jsonl = try await server.send(.GET, "/api/runs/export?format=jsonl", authorized: true)
            #expect(jsonl.status == 200)
            #expect(jsonl.headers.first(name: "Content-Type") == "application/x-ndjson; charset=utf-8")
            #expect(jsonl.headers.first(name: "Transfer-Encoding") == "chunked")
            let lines = jsonl.text.split(separator: "\n").map { try? JSONValue(parsing: String($0)) }
            #expect(lines.compactMap { $0?["id"]?.stringValue } == newestFirst)
            #expect(lines[2]?["trigger_payload"]?["body"]?["order"]?.stringValue == "A-106")
            #expect(lines[0]?["inputs"]?["who"]?.stringValue == "Ada")
            #expect(lines[0]?["output"]?.stringValue == "hello Ada")

            let csv = try await server.send(.GET, "/api/runs/export?format=csv&status=failed", authorized: true)
            #expect(csv.status == 200)
            #expect(csv.headers.first(name: "Content-Type") == "text/csv; charset=utf-8")
            let rows = csv.text.components(separatedBy: "\r\n")
            #expect(rows.first == "id,workflow,workflow_version,trigger,status,created_at,started_at,finished_at,duration_ms,error,trigger_payload,inputs,output")
            #expect(rows.count == 4 && rows.last == "", "a header, two runs and the final line ending: \(rows)")
            #expect(rows[1].hasPrefix("\(newestFirst[2]),orders,"))
            #expect(rows[1].contains(",failed,"))
            // The payload holds commas and quotes: quoted, its quotes doubled.
            #expect(rows[1].contains(#",order A-106 was refused,"{""kind"":""webhook"",""method"":""POST"","#))
            #expect(rows[1].contains(#"""body"":{""order"":""A-106"",""ok"":false,""note"":""a, \""b\""""}"#))

            let bad = try await server.send(.GET, "/api/runs/export?format=xml&trigger=event", authorized: true)
            #expect(bad.status == 400)
            #expect(bad.json?["error"]?["problems"]?.arrayValue?.count == 2)
        }
    }

    @Test func anExportOfManyRunsArrivesWhole() async throws {
        try await withRuns { server, _ in
            let version = try #require(try await server.store.latestWorkflowVersion(named: "greet"))
            // Created under another holder's lease, so the server's worker cannot claim them before
            // they are cancelled; several at a time share commits.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<20 {
                    group.addTask {
                        for index in 0..<120 {
                            let run = try await server.store.createClaimedRun(
                                NewRun(workflowVersionID: version.id, triggerKind: .manual, triggerPayload: #"{"n":\#(worker * 1000 + index)}"#),
                                owner: "export-test", leaseDuration: .seconds(3600), now: Date())
                            _ = try await server.store.cancelRun(id: run.run.id, reason: nil, now: Date())
                        }
                    }
                }
                try await group.waitForAll()
            }
            let reply = try await server.send(.GET, "/api/runs/export?workflow=greet&status=cancelled", authorized: true)
            let ids = reply.text.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0))["id"]?.stringValue }
            #expect(ids.count == 2400)
            #expect(Set(ids).count == 2400)
            let limited = try await server.send(.GET, "/api/runs/export?format=csv&limit=1500", authorized: true)
            #expect(limited.text.components(separatedBy: "\r\n").count == 1502)
        }
    }

    @Test func workflowsShowTheirCountsAndNextFireTime() async throws {
        try await withRuns { server, _ in
            let reply = try await server.send(.GET, "/api/workflows", authorized: true)
            #expect(reply.status == 200)
            let workflows = reply.json?["workflows"]?.arrayValue ?? []
            #expect(workflows.compactMap { $0["name"]?.stringValue } == ["greet", "orders"])
            let orders = try #require(workflows.last)
            #expect(orders["version"]?.numberValue != nil)
            #expect(orders["triggers"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } == ["webhook", "schedule"])
            let next = try #require(orders["next_fire_at"]?.stringValue)
            #expect(next.hasSuffix("T09:00:00Z"))
            let counts = orders["runs_last_24h"]
            #expect(counts?["total"]?.numberValue == 7)
            #expect(counts?["succeeded"]?.numberValue == 5)
            #expect(counts?["failed"]?.numberValue == 2)
            #expect(counts?["running"]?.numberValue == 0)
            #expect(workflows.first?["next_fire_at"] == .null)
            #expect(workflows.first?["runs_last_24h"]?["succeeded"]?.numberValue == 1)
        }
    }
}

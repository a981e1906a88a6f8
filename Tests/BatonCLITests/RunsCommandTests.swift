import BatonStore
import Foundation
import Testing

/// `baton runs` on the real binary: list, show, export and prune on a database file, retry
/// executing here, and the same commands against a real `baton serve`.
@Suite(.timeLimit(.minutes(3)))
struct RunsCommandTests {
    /// A temporary folder holding the fixture database `baton.sqlite`.
    func withFixture(_ body: (URL) async throws -> Void) async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await RunsFixture.write(to: directory.appendingPathComponent("baton.sqlite").path)
        try await body(directory)
    }

    @Test func listPrintsATableNewestFirst() async throws {
        try await withFixture { directory in
            let output = try await BatonProcess.runAsync(["runs", "list", "--db", "baton.sqlite"], in: directory)
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stdout == """
                ID                          WORKFLOW  STATUS     TRIGGER  CREATED               DURATION  ERROR
                01JQ0000000000000000000OK1  orders    succeeded  manual   2026-03-29T09:01:00Z  50ms      
                01JQ0000000000000000FAILED  orders    failed     webhook  2026-03-29T09:00:00Z  1.8s      step 'charge': HTTP 500: card declined

                """)
            let failed = try await BatonProcess.runAsync(["runs", "list", "--db", "baton.sqlite", "--status", "failed", "--since", "2026-03-29"],
                                                         in: directory)
            #expect(failed.stdout.split(separator: "\n").count == 2)
            #expect(failed.stdout.contains(RunsFixture.failedID))

            let paged = try await BatonProcess.runAsync(["runs", "list", "--db", "baton.sqlite", "--limit", "1"], in: directory)
            let next = try #require(paged.stderr.split(separator: " ").last.map { $0.trimmingCharacters(in: .newlines) })
            #expect(paged.stderr.hasPrefix("more runs: add --cursor "))
            let second = try await BatonProcess.runAsync(["runs", "list", "--db", "baton.sqlite", "--limit", "1", "--cursor", next], in: directory)
            #expect(second.stdout.contains(RunsFixture.failedID) && !second.stdout.contains(RunsFixture.succeededID))
            #expect(second.stderr == "")
        }
    }

    @Test func listAsJSONAndBadFilters() async throws {
        try await withFixture { directory in
            let output = try await BatonProcess.runAsync(["runs", "list", "--db", "baton.sqlite", "--json", "--search", "a-1"], in: directory)
            #expect(output.status == 0)
            let page = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
            let runs = try #require(page["runs"] as? [[String: Any]])
            #expect(runs.map { $0["id"] as? String } == [RunsFixture.failedID])
            #expect(runs.first?["duration_ms"] as? Int == 1750)
            #expect(page["next_cursor"] is NSNull)

            let bad = try await BatonProcess.runAsync(["runs", "list", "--db", "baton.sqlite", "--status", "broken", "--trigger", "event"],
                                                      in: directory)
            #expect(bad.status == 2)
            #expect(bad.stdout == "")
            #expect(bad.stderr == """
                error: status 'broken' is not a run status; use queued, running, waiting, succeeded, failed or cancelled
                error: trigger 'event' is not a trigger kind; use webhook, schedule, poll, manual or retry

                """)
            let missing = try await BatonProcess.runAsync(["runs", "list", "--db", "nowhere.sqlite"], in: directory)
            #expect(missing.status == 1)
            #expect(missing.stderr.hasPrefix("error: there is no database at nowhere.sqlite"))
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("nowhere.sqlite").path))
        }
    }

    @Test func showDrawsTheTimelineWithoutColourWhenNotATerminal() async throws {
        try await withFixture { directory in
            let output = try await BatonProcess.runAsync(["runs", "show", RunsFixture.failedID, "--db", "baton.sqlite"], in: directory)
            #expect(output.status == 0, "\(output.stderr)")
            #expect(!output.stdout.contains("\u{1B}["))
            #expect(output.stdout == """
                run 01JQ0000000000000000FAILED: failed
                  workflow  orders (version 1)
                  trigger   webhook
                  created   2026-03-29T09:00:00Z
                  duration  1.8s
                  error     step 'charge': HTTP 500: card declined

                  STEP     STATUS     START   DURATION  ATTEMPTS  TIMELINE
                  fetch    succeeded  +100ms  120ms     1         | ███                    |
                  charge   failed     +300ms  1.4s      2         |    ████████████████████|
                      attempt 1  +300ms  200ms  HTTP 500  HTTP 500: card declined
                      attempt 2  +1.5s  250ms  HTTP 500  HTTP 500: card declined
                      error: HTTP 500: card declined
                  receipt  skipped    -       -         0         |                        |

                """)
            let json = try await BatonProcess.runAsync(["runs", "show", RunsFixture.failedID, "--db", "baton.sqlite", "--json"], in: directory)
            let record = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let steps = try #require(record["steps"] as? [[String: Any]])
            #expect(steps.map { $0["id"] as? String } == ["fetch", "charge", "receipt"])
            #expect((steps[1]["attempts"] as? [[String: Any]])?.count == 2)

            let missing = try await BatonProcess.runAsync(["runs", "show", "01NOPE", "--db", "baton.sqlite"], in: directory)
            #expect(missing.status == 1)
            #expect(missing.stderr == "error: no run with id '01NOPE' in baton.sqlite; list them with 'baton runs list'\n")
        }
    }

    @Test func exportWritesJSONLinesAndCSV() async throws {
        try await withFixture { directory in
            let jsonl = try await BatonProcess.runAsync(["runs", "export", "--db", "baton.sqlite"], in: directory)
            #expect(jsonl.status == 0)
            let lines = jsonl.stdout.split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.first?.hasPrefix(#"{"id":"01JQ0000000000000000000OK1","workflow":"orders","#) == true)
            let csv = try await BatonProcess.runAsync(["runs", "export", "--db", "baton.sqlite", "--format", "csv", "--status", "failed"],
                                                      in: directory)
            #expect(csv.stdout == """
                id,workflow,workflow_version,trigger,status,created_at,started_at,finished_at,duration_ms,error,trigger_payload,inputs,output\r
                01JQ0000000000000000FAILED,orders,1,webhook,failed,2026-03-29T09:00:00Z,2026-03-29T09:00:00Z,2026-03-29T09:00:01.750Z,1750,HTTP 500: card declined,"{""body"":{""order"":""A-1""}}",,\r

                """)
            let bad = try await BatonProcess.runAsync(["runs", "export", "--db", "baton.sqlite", "--format", "xml"], in: directory)
            #expect(bad.status == 2)
        }
    }

    @Test func pruneDeletesOldRunsAndShrinksTheFile() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("baton.sqlite").path
        do {
            let store = try SQLiteRunStore(path: path, configuration: .init(synchronous: .off))
            let version = try await store.saveWorkflowVersion(name: "bulk", hash: "h", source: "name: bulk\n", now: RunsFixture.start)
            let pad = String(repeating: "p", count: 3000)
            for index in 0..<1200 {
                // The last 200 finished recently and are kept.
                let time = index < 1000 ? RunsFixture.start : Date()
                let run = try await store.createClaimedRun(
                    NewRun(workflowVersionID: version.id, triggerKind: .manual, triggerPayload: #"{"n":\#(index),"pad":"\#(pad)"}"#),
                    owner: "f", leaseDuration: .seconds(60), now: time).run
                try await store.commit([.stepFinished(runID: run.id, step: StepKey("a"), status: .succeeded, output: #""\#(pad)""#),
                                        .runFinished(runID: run.id, status: .succeeded)], owner: "f", now: time)
            }
            _ = try await store.reclaimSpace()
        }
        let before = try Self.size(path)
        let output = try await BatonProcess.runAsync(["runs", "prune", "--older-than", "30d", "--db", "baton.sqlite"], in: directory)
        #expect(output.status == 0, "\(output.stderr)")
        let after = try Self.size(path)
        #expect(after < before / 3, "\(before) -> \(after) bytes")
        #expect(output.stdout.hasPrefix("pruned 1000 runs that finished before "))
        #expect(output.stdout.range(of: #"; the database went from [0-9.]+ MB to [0-9.]+ (MB|KB)\n$"#, options: .regularExpression) != nil,
                "\(output.stdout)")
        let store = try SQLiteRunStore(path: path)
        #expect(try await store.countRuns(filter: RunFilter()) == 200)

        let bad = try await BatonProcess.runAsync(["runs", "prune", "--older-than", "soon", "--db", "baton.sqlite"], in: directory)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--older-than must be a duration like 30d, 12h or 90m, not 'soon'"))
    }

    /// The database file and its write-ahead log.
    static func size(_ path: String) throws -> Int {
        try [path, path + "-wal"].reduce(0) { total, file in
            guard FileManager.default.fileExists(atPath: file) else { return total }
            return total + ((try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
    }

    @Test func retryWithADatabaseRunsHereAndSkipsTheStepsThatSucceeded() async throws {
        let steps = StepServer(delay: 1...2)
        try await steps.start()
        defer { steps.stop() }
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            name: relay
            steps:
              - id: call
                http:
                  method: POST
                  url: ${{ env.API }}/step/call
                  json: {value: go}
              - id: gate
                if: ${{ env.GATE = "closed" }}
                fail: "the gate is closed"
              - id: done
                transform: ${{ steps.call.output.body.value & "/done" }}
            """.write(to: directory.appendingPathComponent("relay.yaml"), atomically: true, encoding: .utf8)
        let first = try await BatonProcess.runAsync(["run", "relay.yaml", "--db", "baton.sqlite"], in: directory,
                                                    environment: ["API": steps.baseURL, "GATE": "closed"])
        #expect(first.status == 1)
        let store = try SQLiteRunStore(path: directory.appendingPathComponent("baton.sqlite").path)
        let failedID = try #require(try await store.listRuns(filter: RunFilter(), limit: 1, after: nil).runs.first?.id)

        let retry = try await BatonProcess.runAsync(["runs", "retry", failedID, "--db", "baton.sqlite"], in: directory,
                                                    environment: ["API": steps.baseURL, "GATE": "open"])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(retry.stdout == "\"go/call/done\"\n")
        #expect(retry.stderr.hasPrefix("run "))
        #expect(retry.stderr.contains(" retries run \(failedID)\n"))
        #expect(steps.seen.filter { $0.path == "/step/call" }.count == 1, "the step that succeeded is not called again")

        let again = try await BatonProcess.runAsync(["runs", "retry", failedID, "--db", "baton.sqlite", "--detach"], in: directory)
        #expect(again.status == 0)
        #expect(again.stderr.hasPrefix("run \(failedID) was already retried as run "))
        let succeeded = try await BatonProcess.runAsync(["runs", "retry", again.stdout.trimmingCharacters(in: .newlines), "--db", "baton.sqlite"],
                                                        in: directory)
        #expect(succeeded.status == 1)
        #expect(succeeded.stderr.contains("only a failed or cancelled run can be retried"))
    }

    @Test func theSameCommandsWorkAgainstAServer() async throws {
        try await withFixture { directory in
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("Workflows"), withIntermediateDirectories: true)
            try """
                name: pause
                steps:
                  - id: nap
                    wait: 1h
                """.write(to: directory.appendingPathComponent("Workflows/pause.yaml"), atomically: true, encoding: .utf8)
            let token = ["BATON_API_TOKEN": "s3cret"]
            let server = try await ServeProcess.start([], in: directory, environment: token)
            defer { Task { await server.stop() } }

            let local = try await BatonProcess.runAsync(["runs", "list", "--db", "baton.sqlite"], in: directory)
            let remote = try await BatonProcess.runAsync(["runs", "list", "--server", server.url], in: directory, environment: token)
            #expect(remote.status == 0, "\(remote.stderr)")
            #expect(remote.stdout == local.stdout)
            let show = try await BatonProcess.runAsync(["runs", "show", RunsFixture.failedID, "--server", server.url], in: directory,
                                                       environment: token)
            #expect(show.stdout.contains("  charge   failed     +300ms"))
            let csv = try await BatonProcess.runAsync(["runs", "export", "--format", "csv", "--server", server.url], in: directory,
                                                      environment: token)
            #expect(csv.stdout.components(separatedBy: "\r\n").count == 4)

            let bad = try await BatonProcess.runAsync(["runs", "list", "--status", "nope", "--server", server.url], in: directory,
                                                      environment: token)
            #expect(bad.status == 2)
            #expect(bad.stderr.hasPrefix("error: status 'nope' is not a run status"))
            let noToken = try await BatonProcess.runAsync(["runs", "list", "--server", server.url], in: directory,
                                                          environment: ["BATON_API_TOKEN": ""])
            #expect(noToken.status == 2)

            let started = try await BatonProcess.runAsync(["run", "pause", "--server", server.url, "--detach"], in: directory,
                                                          environment: token)
            let runID = started.stdout.trimmingCharacters(in: .newlines)
            let cancel = try await BatonProcess.runAsync(["runs", "cancel", runID, "--server", server.url], in: directory, environment: token)
            #expect(cancel.status == 0, "\(cancel.stderr)")
            #expect(cancel.stdout == "run \(runID) cancelled\n")
            let twice = try await BatonProcess.runAsync(["runs", "cancel", RunsFixture.failedID, "--server", server.url], in: directory,
                                                        environment: token)
            #expect(twice.status == 1)
            #expect(twice.stderr == "error: run \(RunsFixture.failedID) already failed; only a queued, running or waiting run can be cancelled\n")
        }
    }

    @Test func retentionPrunesOldRunsSoonAfterTheServerStarts() async throws {
        try await withFixture { directory in
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("Workflows"), withIntermediateDirectories: true)
            let server = try await ServeProcess.start(["--retention", "30d"], in: directory, environment: ["BATON_API_TOKEN": "s3cret"])
            defer { Task { await server.stop() } }
            // --retention 30d prunes the fixture's runs of 2026-03-29 soon after the start.
            let deadline = ContinuousClock.now + .seconds(20)
            while !server.log.contains("retention: pruned runs"), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(server.log.contains("retention: pruned runs that finished more than 30d ago"), "\(server.log)")
            #expect(server.log.contains("runs.deleted=2"))
            let left = try await BatonProcess.runAsync(["runs", "show", RunsFixture.failedID, "--db", "baton.sqlite"], in: directory)
            #expect(left.status == 1)
        }
    }
}

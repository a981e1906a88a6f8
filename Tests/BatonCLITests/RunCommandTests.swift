import BatonStore
import Foundation
import Testing

/// `baton run` and `baton worker`, run as the real binary on a database in a temporary folder.
struct RunCommandTests {
    static let greet = """
        name: greet
        inputs:
          name: {type: string, required: true}
          times: {type: number, default: 2}
        steps:
          - id: shout
            transform: ${{ $uppercase(inputs.name) }}
          - id: message
            transform:
              text: Hello, ${{ steps.shout.output }}!
              times: ${{ inputs.times }}
        """

    @Test func printsTheOutputAndExits0() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.write(Self.greet, "greet.yaml", in: directory)
        let output = try await BatonProcess.runAsync(["run", "greet.yaml", "--db", "baton.sqlite", "--input", #"{"name": "ada"}"#],
                                          in: directory)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == #"{"text":"Hello, ADA!","times":2}"# + "\n")
        // Progress goes to standard error: the start, each step, the end.
        let lines = output.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("run ") == true)
        #expect(lines.first?.hasSuffix(" of workflow 'greet' started") == true)
        #expect(lines.contains { $0.hasPrefix("  ✓ shout  succeeded") })
        #expect(lines.contains { $0.hasPrefix("  ✓ message  succeeded") })
        #expect(lines.last?.hasSuffix(" succeeded") == true)
    }

    @Test func inputsFromAFile() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.write(Self.greet, "greet.yaml", in: directory)
        try Self.write(#"{"name": "bo", "times": 3}"#, "input.json", in: directory)
        let output = try await BatonProcess.runAsync(["run", "greet.yaml", "--db", "baton.sqlite", "--input", "@input.json"], in: directory)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == #"{"text":"Hello, BO!","times":3}"# + "\n")
    }

    @Test func aFailedRunExits1WithTheErrorOnStandardError() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.write("""
            inputs:
              sku: string
            steps:
              - id: check
                transform: ${{ inputs.sku }}
              - id: stop
                fail: "out of stock: ${{ steps.check.output }}"
              - id: never
                transform: 1
            """, "order.yaml", in: directory)
        let output = try await BatonProcess.runAsync(["run", "order.yaml", "--db", "baton.sqlite", "--input", #"{"sku": "PEN-9"}"#],
                                          in: directory)
        #expect(output.status == 1)
        #expect(output.stdout == "")
        #expect(output.stderr.contains("  ✗ stop  failed"))
        #expect(output.stderr.contains("      out of stock: PEN-9\n"))
        let last = output.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("run "))
        #expect(last.hasSuffix(" failed: out of stock: PEN-9"))
    }

    @Test func jsonPrintsTheRunRecordWithStepsAndAttempts() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = StepServer(delay: 1...5)
        try await server.start()
        defer { server.stop() }
        try Self.write("""
            name: chain
            steps:
              - id: first
                http:
                  method: POST
                  url: ${{ env.API }}/step/one
                  json: {value: start}
              - id: second
                http:
                  method: POST
                  url: ${{ env.API }}/step/two
                  json: {value: "${{ steps.first.output.body.value }}"}
            """, "chain.yaml", in: directory)
        let output = try await BatonProcess.runAsync(["run", "chain.yaml", "--db", "baton.sqlite", "--json"], in: directory,
                                          environment: ["API": server.baseURL])
        #expect(output.status == 0, "\(output.stderr)")
        // With --json nothing but the record is printed.
        #expect(output.stderr == "")
        let record = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(record["workflow"] as? String == "chain")
        #expect(record["status"] as? String == "succeeded")
        #expect(record["trigger"] as? String == "manual")
        let id = try #require(record["id"] as? String)
        let steps = try #require(record["steps"] as? [[String: Any]])
        #expect(steps.map { $0["id"] as? String } == ["first", "second"])
        #expect(steps.map { $0["status"] as? String } == ["succeeded", "succeeded"])
        let secondOutput = steps[1]["output"] as? [String: Any]
        #expect((secondOutput?["body"] as? [String: Any])?["value"] as? String == "start/one/two")
        let attempts = try #require(steps[1]["attempts"] as? [[String: Any]])
        #expect(attempts.count == 1)
        #expect(attempts.first?["number"] as? Int == 1)
        #expect(attempts.first?["response_status"] as? Int == 200)
        let request = attempts.first?["request"] as? [String: Any]
        #expect(request?["method"] as? String == "POST")
        #expect(request?["url"] as? String == server.baseURL + "/step/two")
        #expect(server.seen.map(\.key) == ["\(id)-first", "\(id)-second"])
    }

    @Test func invalidInputsExit2NamingEachProblem() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.write(Self.greet, "greet.yaml", in: directory)
        let output = try await BatonProcess.runAsync(["run", "greet.yaml", "--db", "baton.sqlite", "--input", #"{"times": "many", "colour": "red"}"#],
                                          in: directory)
        #expect(output.status == 2)
        #expect(output.stdout == "")
        #expect(output.stderr == """
            error: unknown input 'colour'; workflow 'greet' declares: name, times
            error: input 'name' is required; pass it, e.g. --input '{"name": ...}'
            error: input 'times' must be a number, not "many"

            """)
        let notJSON = try await BatonProcess.runAsync(["run", "greet.yaml", "--db", "baton.sqlite", "--input", "{name: ada}"], in: directory)
        #expect(notJSON.status == 2)
        #expect(notJSON.stderr.hasPrefix("error: --input is not valid JSON"))
        // Nothing was stored for either attempt.
        let store = try SQLiteRunStore(path: directory.appendingPathComponent("baton.sqlite").path)
        #expect(try await store.countRuns(filter: RunFilter()) == 0)
    }

    @Test func anInvalidWorkflowExits1WithLocatedDiagnostics() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.write("""
            name: post
            steps:
              - id: publish
                http:
                  url: https://api.example.com/posts
                retries: 3
              - id: announce
                needs: [publsh]
                transform: done
            """, "post.yaml", in: directory)
        let output = try await BatonProcess.runAsync(["run", "post.yaml", "--db", "baton.sqlite"], in: directory)
        #expect(output.status == 1)
        #expect(output.stdout == "")
        #expect(output.stderr == """
            post.yaml:6:5: error: unknown key 'retries' in step 'publish'; did you mean 'retry'?
            post.yaml:8:13: error: step 'announce' needs unknown step 'publsh'; did you mean 'publish'?

            """)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("baton.sqlite").path))
    }

    @Test func detachPrintsTheIdAndAWorkerFinishesTheRun() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.write(Self.greet, "greet.yaml", in: directory)
        var ids: [String] = []
        for name in ["ada", "bo"] {
            let output = try await BatonProcess.runAsync(["run", "greet.yaml", "--db", "baton.sqlite", "--detach", "--input", #"{"name": "\#(name)"}"#],
                                              in: directory)
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stderr == "")
            ids.append(output.stdout.trimmingCharacters(in: .newlines))
        }
        let store = try SQLiteRunStore(path: directory.appendingPathComponent("baton.sqlite").path)
        for id in ids {
            #expect(try await store.run(id: id)?.status == .queued)
        }
        let worker = try await BatonProcess.runAsync(["worker", "--db", "baton.sqlite", "--until-idle"], in: directory, timeout: 30)
        #expect(worker.status == 0, "\(worker.stderr)")
        let first = try #require(try await store.run(id: ids[0]))
        #expect(first.status == .succeeded)
        #expect(first.output == #"{"text":"Hello, ADA!","times":2}"#)
        #expect(try await store.run(id: ids[1])?.output == #"{"text":"Hello, BO!","times":2}"#)
    }

    @Test func aForegroundRunGivesBackTheOtherRunsItPickedUp() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.write(Self.greet, "greet.yaml", in: directory)
        try Self.write("""
            name: slow
            steps:
              - id: pause
                wait: 1500ms
              - id: done
                transform: finished
            """, "slow.yaml", in: directory)
        let detached = try await BatonProcess.runAsync(["run", "slow.yaml", "--db", "baton.sqlite", "--detach"], in: directory)
        let slowID = detached.stdout.trimmingCharacters(in: .newlines)
        // The foreground worker claims the older queued run too, and stops once its own run is done.
        let output = try await BatonProcess.runAsync(["run", "greet.yaml", "--db", "baton.sqlite", "--input", #"{"name": "ada"}"#],
                                          in: directory)
        #expect(output.status == 0, "\(output.stderr)")
        let store = try SQLiteRunStore(path: directory.appendingPathComponent("baton.sqlite").path)
        let left = try #require(try await store.run(id: slowID))
        // Given back, not held by a process that has exited until its 30 s lease runs out.
        #expect(left.status == .queued || left.status == .succeeded)
        #expect(left.leaseOwner == nil)
        let started = ContinuousClock.now
        let worker = try await BatonProcess.runAsync(["worker", "--db", "baton.sqlite", "--until-idle"], in: directory, timeout: 20)
        #expect(worker.status == 0)
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(try await store.run(id: slowID)?.status == .succeeded)
    }

    @Test func untilIdleRunsAWaitThatIsDueAndLeavesOneThatIsNot() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.write("""
            name: later
            steps:
              - id: pause
                wait: 2500ms
              - id: done
                transform: woke
            """, "later.yaml", in: directory)
        let detached = try await BatonProcess.runAsync(["run", "later.yaml", "--db", "baton.sqlite", "--detach"], in: directory)
        let id = detached.stdout.trimmingCharacters(in: .newlines)
        let store = try SQLiteRunStore(path: directory.appendingPathComponent("baton.sqlite").path)
        // Longer than a worker waits in process: the run parks and the worker leaves it for later.
        let first = try await BatonProcess.runAsync(["worker", "--db", "baton.sqlite", "--until-idle"], in: directory, timeout: 20)
        #expect(first.status == 0)
        let parked = try #require(try await store.run(id: id))
        #expect(parked.status == .waiting)
        let wake = try #require(parked.wakeAt)
        try await Task.sleep(for: .seconds(max(0, wake.timeIntervalSinceNow) + 0.2))
        // Now the timer is due: that is work to do, not idleness.
        let second = try await BatonProcess.runAsync(["worker", "--db", "baton.sqlite", "--until-idle"], in: directory, timeout: 20)
        #expect(second.status == 0)
        let finished = try #require(try await store.run(id: id))
        #expect(finished.status == .succeeded)
        #expect(finished.output == #""woke""#)
    }

    static func write(_ text: String, _ name: String, in directory: URL) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
}

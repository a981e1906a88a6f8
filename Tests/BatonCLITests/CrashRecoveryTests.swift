import BatonStore
import Foundation
import Synchronization
import Testing

/// Runs survive `kill -9`: real `baton worker` processes on one SQLite file, killed at random,
/// calling a real HTTP server in the test process.
@Suite(.serialized) struct CrashRecoveryTests {
    /// Six slow HTTP steps; each sends the previous step's value, the server appends the step's name.
    static let chain = """
        name: chain
        inputs:
          seed: {type: string, required: true}
        steps:
          - id: s1
            http: {method: POST, url: "${{ env.API }}/step/s1", json: {value: "${{ inputs.seed }}"}}
          - id: s2
            http: {method: POST, url: "${{ env.API }}/step/s2", json: {value: "${{ steps.s1.output.body.value }}"}}
          - id: s3
            http: {method: POST, url: "${{ env.API }}/step/s3", json: {value: "${{ steps.s2.output.body.value }}"}}
          - id: s4
            http: {method: POST, url: "${{ env.API }}/step/s4", json: {value: "${{ steps.s3.output.body.value }}"}}
          - id: s5
            http: {method: POST, url: "${{ env.API }}/step/s5", json: {value: "${{ steps.s4.output.body.value }}"}}
          - id: s6
            http: {method: POST, url: "${{ env.API }}/step/s6", json: {value: "${{ steps.s5.output.body.value }}"}}
        """
    static let stepIDs = ["s1", "s2", "s3", "s4", "s5", "s6"]

    @Test func runsSurviveWorkersKilledAtRandom() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = StepServer(delay: 100...300)
        try await server.start()
        defer { server.stop() }
        try RunCommandTests.write(Self.chain, "chain.yaml", in: directory)
        let environment = ["API": server.baseURL]
        let began = ContinuousClock.now

        var seeds: [String: String] = [:]
        for number in 0..<12 {
            let seed = "r\(number)"
            let output = try await BatonProcess.runAsync(["run", "chain.yaml", "--db", "baton.sqlite", "--detach", "--input", #"{"seed": "\#(seed)"}"#],
                                              in: directory, environment: environment)
            try #require(output.status == 0, "\(output.stderr)")
            seeds[output.stdout.trimmingCharacters(in: .newlines)] = seed
        }

        // Start a worker, let it work 50-500 ms, kill -9 it; at least 50 times, at most 3 minutes.
        // Four runs at a time, so that the work outlasts fifty kills.
        let log = directory.appendingPathComponent("workers.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        var kills = 0, exitedEarly = 0, iterations = 0
        let killDeadline = ContinuousClock.now + .seconds(180)
        while kills < 50, iterations < 200, ContinuousClock.now < killDeadline {
            iterations += 1
            let worker = try WorkerProcess.start(["worker", "--db", "baton.sqlite", "--until-idle", "--lease", "1s", "--concurrency", "4"],
                                                 in: directory, environment: environment, log: logHandle)
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...500)))
            if worker.kill() { kills += 1 } else { exitedEarly += 1 }
            // Every run finished early: nothing left to kill.
            if exitedEarly >= 3 { break }
        }
        let killing = ContinuousClock.now - began

        let last = try await BatonProcess.runAsync(["worker", "--db", "baton.sqlite", "--until-idle", "--lease", "1s"],
                                        in: directory, environment: environment, timeout: 120)
        #expect(last.status == 0, "\(last.stderr)")
        let total = ContinuousClock.now - began

        let store = try SQLiteRunStore(path: directory.appendingPathComponent("baton.sqlite").path)
        let runs = try await store.listRuns(filter: RunFilter(), limit: 100, after: nil).runs
        #expect(runs.count == seeds.count)
        #expect(Set(runs.map(\.id)) == Set(seeds.keys))
        var storedAttempts = 0
        for run in runs {
            #expect(run.status == .succeeded, "run \(run.id): \(run.error ?? "")")
            let steps = try await store.steps(runID: run.id)
            #expect(steps.map(\.key.stepID) == Self.stepIDs, "run \(run.id)")
            // Each step's output derives from its predecessor's: seed/s1/s2/...
            var expected = seeds[run.id] ?? "?"
            for step in steps {
                expected += "/" + step.key.stepID
                #expect(step.status == .succeeded, "run \(run.id) step \(step.key)")
                let output = step.output.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                #expect((output?["body"] as? [String: Any])?["value"] as? String == expected, "run \(run.id) step \(step.key)")
            }
            #expect(run.output?.contains(#""value":"\#(expected)""#) == true, "run \(run.id)")
            let attempts = try await store.attempts(runID: run.id)
            storedAttempts += attempts.count
            for step in Self.stepIDs {
                #expect(attempts.filter { $0.key.stepID == step }.map(\.attempt.responseStatus) == [200], "run \(run.id) step \(step)")
            }
        }

        // At least once: every (run, step) reached the server; some more than once.
        let seen = server.seen
        let keys = seen.compactMap(\.key)
        let wanted = Set(seeds.keys.flatMap { id in Self.stepIDs.map { "\(id)-\($0)" } })
        #expect(wanted.isSubset(of: Set(keys)))
        #expect(Set(keys).isSubset(of: wanted))
        let duplicates = keys.count - Set(keys).count
        print("""
            crash test: \(kills) workers killed (\(exitedEarly) exited on their own) in \(killing); \
            \(seen.count) requests for \(wanted.count) steps (\(duplicates) duplicates, \
            \(server.violations.count) overlapping same-key requests); \(storedAttempts) stored attempts; \
            total \(total)
            """)
        #expect(kills >= 50)
    }

    @Test func twoWorkersShareOneDatabaseWithoutOverlap() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = StepServer(delay: 2...15)
        try await server.start()
        defer { server.stop() }
        try RunCommandTests.write("""
            name: quick
            inputs:
              seed: {type: string, required: true}
            steps:
              - id: a
                http:
                  method: POST
                  url: ${{ env.API }}/step/a
                  headers: {X-Worker: "${{ env.WORKER }}"}
                  json: {value: "${{ inputs.seed }}"}
              - id: b
                http:
                  method: POST
                  url: ${{ env.API }}/step/b
                  headers: {X-Worker: "${{ env.WORKER }}"}
                  json: {value: "${{ steps.a.output.body.value }}"}
            """, "quick.yaml", in: directory)
        let began = ContinuousClock.now

        // 200 detached runs, created four processes at a time after a first one creates the file.
        let count = 200
        let created = Collected()
        @Sendable func create(_ number: Int) {
            do {
                let output = try BatonProcess.run(["run", "quick.yaml", "--db", "baton.sqlite", "--detach",
                                                   "--input", #"{"seed": "q\#(number)"}"#], in: directory)
                if output.status == 0 {
                    created.ids.withLock { $0.append(output.stdout.trimmingCharacters(in: .newlines)) }
                } else {
                    created.failures.withLock { $0.append(output.stderr) }
                }
            } catch {
                created.failures.withLock { $0.append("\(error)") }
            }
        }
        try await BatonProcess.offPool {
            create(0)
            DispatchQueue.concurrentPerform(iterations: 4) { lane in
                for number in stride(from: 1 + lane, to: count, by: 4) { create(number) }
            }
        }
        let creating = ContinuousClock.now - began
        #expect(created.failures.withLock { $0 } == [])
        let ids = created.ids.withLock { $0 }
        try #require(ids.count == count)

        let log = directory.appendingPathComponent("workers.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        let workStarted = ContinuousClock.now
        let workers = try ["A", "B"].map { name in
            try WorkerProcess.start(["worker", "--db", "baton.sqlite", "--until-idle"], in: directory,
                                    environment: ["API": server.baseURL, "WORKER": name], log: logHandle)
        }
        for worker in workers {
            let status = try await worker.wait(upTo: .seconds(120))
            #expect(status == 0, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        let working = ContinuousClock.now - workStarted

        #expect(server.violations == [])
        let store = try SQLiteRunStore(path: directory.appendingPathComponent("baton.sqlite").path)
        let runs = try await store.listRuns(filter: RunFilter(), limit: 500, after: nil).runs
        #expect(runs.count == count)
        #expect(runs.filter { $0.status == .succeeded }.count == count)

        // Which worker ran each run, from the X-Worker header the server saw.
        var workersByRun: [String: Set<String>] = [:]
        for request in server.seen {
            guard let key = request.key, let worker = request.worker else { continue }
            let runID = String(key.dropLast(2))  // "<run id>-a" or "<run id>-b"
            workersByRun[runID, default: []].insert(worker)
        }
        #expect(Set(workersByRun.keys) == Set(ids))
        let byA = workersByRun.values.filter { $0 == ["A"] }.count
        let byB = workersByRun.values.filter { $0 == ["B"] }.count
        let keys = server.seen.compactMap(\.key)
        print("""
            two workers: \(count) runs created in \(creating), executed in \(working): \
            A ran \(byA), B ran \(byB), \(workersByRun.count - byA - byB) by both; \
            \(server.seen.count) requests, \(keys.count - Set(keys).count) duplicates, \(server.violations.count) violations
            """)
        #expect(byA + byB == count)
    }
}

/// What parallel `baton run --detach` calls printed.
final class Collected: Sendable {
    let ids = Mutex<[String]>([])
    let failures = Mutex<[String]>([])
}

/// A `baton` process started in the background, to be killed or waited for.
struct WorkerProcess {
    let process: Process

    /// Starts `baton arguments...` in `directory`; its output goes to `log`.
    static func start(_ arguments: [String], in directory: URL, environment: [String: String],
                      log: FileHandle) throws -> WorkerProcess {
        let process = Process()
        process.executableURL = BatonProcess.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        return WorkerProcess(process: process)
    }

    /// Sends SIGKILL and reaps the process; false when it had already exited.
    func kill() -> Bool {
        let wasRunning = process.isRunning
        if wasRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return wasRunning && process.terminationReason == .uncaughtSignal
    }

    /// Waits for the process to exit, at most `limit` (then kills it and throws).
    func wait(upTo limit: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                _ = Foundation.kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw BatonProcess.TimedOut(arguments: process.arguments ?? [])
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }
}

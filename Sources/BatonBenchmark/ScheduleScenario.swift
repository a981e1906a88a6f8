import AsyncHTTPClient
import BatonCore
import BatonStore
import Foundation

/// Many cron schedules firing every second in a real `baton serve`: after the server ran for a
/// while, every schedule run in the database gives its lateness, `created_at - scheduled_at`,
/// and the count of slots fired is compared with the count due. The first seconds after the
/// server started listening (registration of every schedule) are reported apart.
struct ScheduleScenario: Sendable {
    var schedules = 1_000
    /// Schedule triggers per workflow file.
    var perFile = 1
    /// Seconds measured.
    var seconds = 12
    /// Seconds after the server listens that are not measured.
    var settle = 3
    var synchronous: SQLiteRunStore.Synchronous = .full
    var serverConcurrency: Int?
    var baton: String?

    static func yaml(index: Int, triggers: Int) -> String {
        """
        name: tick-\(index)
        triggers:
        \(String(repeating: "  - schedule: { cron: \"* * * * * *\" }\n", count: triggers))\
        steps:
          - id: note
            transform: ${{ trigger.scheduled_at }}
        """
    }

    func run() async throws -> Bool {
        let executable = try ServeProcess.locateBaton(explicit: baton)
        let files = (schedules + perFile - 1) / perFile
        print("scenario: schedules")
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(BenchSetup.loadAverage())")
        print(ServeProcess.describe(executable))
        print("workload: \(schedules) schedules firing every second (cron \"* * * * * *\") in \(files) workflow files, one transform step each; --synchronous \(synchronous.rawValue.lowercased())")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-schedules-\(UUID().uuidString)")
        let workflows = directory.appendingPathComponent("workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var remaining = schedules
        for index in 0..<files {
            let count = min(perFile, remaining)
            remaining -= count
            try Self.yaml(index: index, triggers: count)
                .write(to: workflows.appendingPathComponent(String(format: "tick-%04d.yaml", index)), atomically: true, encoding: .utf8)
        }
        let database = directory.appendingPathComponent("baton.sqlite").path
        var arguments = ["--workflows", workflows.path, "--db", database, "--synchronous", synchronous.rawValue.lowercased()]
        if let serverConcurrency { arguments += ["--concurrency", String(serverConcurrency)] }

        let launched = Date()
        let server = try await ServeProcess(executable: executable, arguments: arguments, environment: ["BATON_API_TOKEN": "bench-token"],
                                            startTimeout: .seconds(180))
        let listening = Date()
        print(String(format: "startup: listening %.2f s after launch (the workflows are loaded before it listens)", listening.timeIntervalSince(launched)))
        let measurement: Measurement
        do {
            measurement = try await measure(server)
        } catch {
            await server.terminate(timeout: .seconds(10))
            throw error
        }
        let status = await server.terminate(timeout: .seconds(30))
        print("SIGTERM: exit status \(status.map(String.init) ?? "none (killed after 30 s)")")

        let store = try SQLiteRunStore(path: database, configuration: .init(synchronous: synchronous))
        let runs = try await Self.scheduleRuns(store)
        let window = measurement.start..<measurement.end
        var measured: [Duration] = [], early: [Duration] = []
        var perSlot: [Date: Int] = [:]
        for (scheduled, created) in runs {
            let lateness = Duration.milliseconds(Int64((created.timeIntervalSince(scheduled) * 1000).rounded()))
            if window.contains(scheduled) {
                measured.append(lateness)
                perSlot[scheduled, default: 0] += 1
            } else if scheduled < window.lowerBound {
                early.append(lateness)
            }
        }
        measured.sort()
        early.sort()
        let expected = schedules * seconds
        print("measured window: \(seconds) s from \(ISO8601Time.format(measurement.start)) (\(settle) s after listening)")
        print("fired: \(measured.count) of \(expected) slots due in the window (\(perSlot.count) distinct seconds, fewest runs in one second \(perSlot.values.min() ?? 0))")
        print("lateness (created_at - scheduled_at, from the database): p50 \(Self.ms(measured, 0.5)), p99 \(Self.ms(measured, 0.99)), max \(ExecutorScenario.ms(measured.last ?? .zero))")
        if let lag = measurement.lag {
            // created_at is stamped when the run's write is issued; the server's histogram also
            // counts the wait for the commit, so it is the lateness a user sees.
            print("lateness (scheduled_at to run committed, server's baton_scheduler_lag_seconds between two scrapes): \(lag)")
            if let p99 = lag.quantile(0.99) {
                print(String(format: "  p99 between %.0f and %.0f ms (target < 100 ms: %@)", p99.lower * 1000, p99.upper * 1000,
                             p99.upper <= 0.1 ? "met" : p99.lower >= 0.1 ? "not met" : "unknown"))
            }
        }
        print("first \(settle) s (schedules registering, not measured): \(early.count) runs, lateness p50 \(Self.ms(early, 0.5)), p99 \(Self.ms(early, 0.99)), max \(ExecutorScenario.ms(early.last ?? .zero))")
        print(String(format: "CPU in the window: server %.2f cores, other processes %.2f cores (of %d); server peak RSS (VmHWM): %@",
                     measurement.serverCPU.timeInterval / Double(seconds), measurement.otherCPU.timeInterval / Double(seconds),
                     ProcessInfo.processInfo.activeProcessorCount, ProcessMemory.mib(measurement.peakResident)))
        let succeeded = try await store.countRuns(filter: RunFilter(statuses: [.succeeded]))
        let waiting = try await store.countRuns(filter: RunFilter(statuses: [.queued, .running]))
        print("runs executed by the server: \(succeeded) succeeded, \(waiting) left queued or running at SIGTERM")
        if !server.problemLines.isEmpty {
            print("server warnings: \(server.problemLines.count), e.g. \(server.problemLines[0])")
        }
        let ok = measured.count == expected
        print(ok ? "check: every slot due in the window fired exactly once" : "check: \(expected - measured.count) slot(s) due in the window did not fire")
        return ok
    }

    /// What the server did in the measured window.
    struct Measurement {
        var start: Date
        var end: Date
        var serverCPU: Duration
        /// CPU time of every other process of the machine (the benchmark itself sleeps).
        var otherCPU: Duration
        var peakResident: Int
        /// The server's lateness histogram over the window.
        var lag: SchedulerLag?
    }

    /// Waits out the settling time and the window (plus a second for the last slots to fire).
    private func measure(_ server: ServeProcess) async throws -> Measurement {
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + Double(settle)).rounded(.up))
        let end = start.addingTimeInterval(Double(seconds))
        try await Task.sleep(for: .seconds(start.timeIntervalSinceNow))
        let cpuBefore = server.cpuTime, machineBefore = ProcessStatus.machineBusyTime
        let before = try? await SchedulerLag.scrape(server.url)
        try await Task.sleep(for: .seconds(end.timeIntervalSinceNow))
        let cpu = server.cpuTime - cpuBefore
        let machine = ProcessStatus.machineBusyTime - machineBefore
        try await Task.sleep(for: .seconds(1))
        let after = try? await SchedulerLag.scrape(server.url)
        let lag = before.flatMap { before in after.map { $0.subtracting(before) } }
        return Measurement(start: start, end: end, serverCPU: cpu, otherCPU: max(.zero, machine - cpu), peakResident: server.peakResident, lag: lag)
    }

    /// Every schedule run: (scheduled_at, created_at).
    private static func scheduleRuns(_ store: SQLiteRunStore) async throws -> [(Date, Date)] {
        var result: [(Date, Date)] = []
        var cursor: RunCursor? = nil
        // Bounded: each page moves the cursor past the runs it returned.
        repeat {
            let page = try await store.listRuns(filter: RunFilter(triggerKind: .schedule), limit: 2_000, after: cursor)
            for run in page.runs {
                guard let payload = run.triggerPayload, let data = payload.data(using: .utf8),
                      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let text = object["scheduled_at"] as? String, let scheduled = ISO8601Time.parse(text) else {
                    throw BenchmarkError("run \(run.id) has no readable scheduled_at in its trigger payload")
                }
                result.append((scheduled, run.createdAt))
            }
            cursor = page.next
        } while cursor != nil
        return result
    }

    private static func ms(_ sorted: [Duration], _ fraction: Double) -> String {
        ExecutorScenario.ms(ExecutorScenario.percentile(sorted, fraction))
    }
}

import BatonStore
import Crypto
import Foundation
import NIOCore

/// Webhook deliveries against a real `baton serve` in another process, over loopback: for each
/// configuration (connections, signed or not, closed loop or a fixed offered rate) a fresh
/// server on a fresh database, a warm-up, then the measured load; afterwards every 202's run is
/// looked up in the database, so that "stored before the answer" is checked, not assumed.
struct WebhookScenario: Sendable {
    /// Concurrent keep-alive connections, one closed-loop configuration each.
    var connections = [16, 32, 64]
    /// Requests measured per configuration.
    var requests = 30_000
    /// Requests sent first, not measured (JIT-free Swift still warms caches, pages and the WAL).
    var warmup = 3_000
    /// Offered rates (requests/s) to try in open loop, at the largest connection count.
    var rates: [Double] = [5_000]
    var signed = true
    /// Also measure `GET /healthz` (no store, no run): the ceiling of the HTTP stack and client here.
    var ceiling = false
    /// The server's `--synchronous`.
    var synchronous: SQLiteRunStore.Synchronous = .full
    /// The server's `--concurrency` (runs executed at once); nil: its default.
    var serverConcurrency: Int?
    /// The `baton` executable; nil: the one beside this benchmark.
    var baton: String?

    /// The webhook secret (`scheme: github`) of the signed configurations.
    static let secret = "bench-webhook-secret"

    /// One configuration tried.
    struct Configuration: Sendable, CustomStringConvertible {
        var connections: Int
        var signed: Bool
        var rate: Double?

        var description: String {
            let load = rate.map { String(format: "open loop at %.0f/s", $0) } ?? "closed loop"
            return "\(signed ? "signed (github)" : "unsigned"), \(connections) connections, \(load)"
        }
    }

    /// The served workflow: an idempotency key from a header, one cheap transform step.
    static func yaml(signed: Bool) -> String {
        """
        name: bench-webhook
        triggers:
          - webhook:
              path: /hooks/bench
              idempotency_key: ${{ trigger.headers.`x-delivery-id` }}
        \(signed ? "      scheme: github\n      secret: ${{ secrets.BENCH_WEBHOOK }}\n" : "")\
        steps:
          - id: pick
            transform:
              order: ${{ trigger.body.order }}
              total: ${{ trigger.body.amount * trigger.body.quantity }}
        """
    }

    /// Runs every configuration; returns false when one failed or a check did not hold.
    func run() async throws -> Bool {
        let executable = try ServeProcess.locateBaton(explicit: baton)
        print("scenario: webhooks")
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(BenchSetup.loadAverage())")
        print(ServeProcess.describe(executable))
        print("workload: POST /hooks/bench, a ~110-byte JSON body, idempotency key from X-Delivery-Id, one transform step;")
        print("  per configuration a fresh server and database (--synchronous \(synchronous.rawValue.lowercased())), \(warmup) warm-up requests, then \(requests) measured")
        var configurations = connections.map { Configuration(connections: $0, signed: false, rate: nil) }
        let widest = connections.max() ?? 64
        configurations += rates.map { Configuration(connections: widest, signed: false, rate: $0) }
        if signed {
            configurations += [Configuration(connections: widest, signed: true, rate: nil)]
            configurations += rates.map { Configuration(connections: widest, signed: true, rate: $0) }
        }
        var ok = true
        if ceiling {
            do {
                try await measureCeiling(connections: widest, executable: executable)
            } catch {
                print("[ceiling] failed: \(error)")
                ok = false
            }
        }
        for configuration in configurations {
            do {
                if try await !trial(configuration, executable: executable) { ok = false }
            } catch {
                print("[\(configuration)] failed: \(error)")
                ok = false
            }
        }
        return ok
    }

    /// `GET /healthz` at `connections`, closed loop: what the server's HTTP stack and this
    /// client give on this machine with no webhook work at all.
    private func measureCeiling(connections: Int, executable: URL) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-webhooks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServeProcess(
            executable: executable, arguments: ["--workflows", directory.path, "--db", directory.appendingPathComponent("baton.sqlite").path],
            environment: ["BATON_API_TOKEN": "bench-token"], startTimeout: .seconds(60))
        let request = ByteBuffer(string: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n\r\n")
        let load = HTTPLoad(host: "127.0.0.1", port: server.port, connections: connections, rate: nil, timeout: .seconds(120))
        let outcome: HTTPLoad.Outcome, serverCPU: Duration
        do {
            _ = try await load.run(Array(repeating: request, count: warmup))
            let serverBefore = server.cpuTime
            outcome = try await load.run(Array(repeating: request, count: requests))
            serverCPU = server.cpuTime - serverBefore
        } catch {
            await server.terminate(timeout: .seconds(10))
            throw error
        }
        let seconds = outcome.elapsed.timeInterval
        let latencies = outcome.latencies.compactMap { $0 }.sorted()
        let answered = outcome.statuses.filter { $0 == 200 }.count
        print("[ceiling: GET /healthz, \(connections) connections, closed loop]")
        print(String(format: "  answered/s: %.0f; latency p50 %@, p99 %@; server %.0f µs of CPU per request, client %.0f µs",
                     Double(answered) / seconds, ExecutorScenario.ms(ExecutorScenario.percentile(latencies, 0.5)),
                     ExecutorScenario.ms(ExecutorScenario.percentile(latencies, 0.99)), serverCPU.timeInterval * 1e6 / Double(max(1, answered)),
                     outcome.clientCPU.timeInterval * 1e6 / Double(max(1, answered))))
        await server.terminate(timeout: .seconds(10))
    }

    /// One configuration on a fresh server; returns whether its checks held.
    private func trial(_ configuration: Configuration, executable: URL) async throws -> Bool {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-webhooks-\(UUID().uuidString)")
        let workflows = directory.appendingPathComponent("workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.yaml(signed: configuration.signed).write(to: workflows.appendingPathComponent("bench.yaml"), atomically: true, encoding: .utf8)
        let database = directory.appendingPathComponent("baton.sqlite").path

        var arguments = ["--workflows", workflows.path, "--db", database, "--synchronous", synchronous.rawValue.lowercased()]
        if let serverConcurrency { arguments += ["--concurrency", String(serverConcurrency)] }
        let server = try await ServeProcess(
            executable: executable, arguments: arguments,
            environment: ["BATON_API_TOKEN": "bench-token", "BATON_SECRET_BENCH_WEBHOOK": Self.secret],
            startTimeout: .seconds(60))
        do {
            return try await measure(configuration, server: server, database: database)
        } catch {
            await server.terminate(timeout: .seconds(10))
            throw error
        }
    }

    /// Warms up and measures one configuration on a running server, checks the database, then stops the server.
    private func measure(_ configuration: Configuration, server: ServeProcess, database: String) async throws -> Bool {
        let load = HTTPLoad(host: "127.0.0.1", port: server.port, connections: configuration.connections, rate: nil,
                            timeout: .seconds(120))
        let warm = try await load.run(Self.requests(count: warmup, prefix: "warm", port: server.port, signed: configuration.signed))
        guard warm.statuses.allSatisfy({ $0 == 202 }) else {
            throw BenchmarkError("warm-up answers were not all 202: \(Self.statusSummary(warm.statuses)); server log:\n\(server.logTail.joined(separator: "\n"))")
        }

        let measured = Self.requests(count: requests, prefix: "m", port: server.port, signed: configuration.signed)
        var timed = load
        timed.rate = configuration.rate
        let load1 = BenchSetup.loadAverage()
        let serverCPUBefore = server.cpuTime, machineBefore = ProcessStatus.machineBusyTime, logBefore = server.logLines
        let outcome = try await timed.run(measured)
        let serverCPU = server.cpuTime - serverCPUBefore
        let machineCPU = ProcessStatus.machineBusyTime - machineBefore
        let logLines = server.logLines - logBefore

        let seconds = outcome.elapsed.timeInterval
        let accepted = outcome.statuses.filter { $0 == 202 }.count
        let latencies = outcome.latencies.compactMap { $0 }.sorted()
        let p99 = ExecutorScenario.percentile(latencies, 0.99)
        let rate = Double(accepted) / seconds
        // In open loop the rate is the one offered, if the server kept up with it (within 1%: the
        // last answer's latency stretches the elapsed time); in closed loop it is the one measured.
        let sustained = configuration.rate.map { rate >= 0.99 * $0 ? $0 : rate } ?? rate
        let met = sustained >= 5_000 && p99 < .milliseconds(20)
        print("[\(configuration)]")
        print(String(format: "  accepted/s: %.0f (%d of %d answered 202 in %.2f s)   (target >= 5000 at p99 < 20 ms: %@)", rate,
                     accepted, requests, seconds, met ? "met" : "not met"))
        print("  latency (client side): p50 \(ExecutorScenario.ms(ExecutorScenario.percentile(latencies, 0.5))), p99 \(ExecutorScenario.ms(p99)), p99.9 \(ExecutorScenario.ms(ExecutorScenario.percentile(latencies, 0.999))), max \(ExecutorScenario.ms(latencies.last ?? .zero))")
        let other = max(.zero, machineCPU - serverCPU - outcome.clientCPU)
        if let offered = configuration.rate {
            // Request i was due at i / rate: the slowest second shows whether the tail is one stall or spread out.
            let perSecond = Dictionary(grouping: outcome.latencies.indices) { Int(Double($0) / offered) }
            let worst = perSecond.map { second, indices in
                (second, ExecutorScenario.percentile(indices.compactMap { outcome.latencies[$0] }.sorted(), 0.99))
            }.max { $0.1 < $1.1 }
            if let worst {
                print("  slowest second of the run: the \(worst.0 + 1)th, p99 \(ExecutorScenario.ms(worst.1))")
            }
        }
        print(String(format: "  CPU: server %.2f cores, client %.2f cores, other processes %.2f cores (of %d); load average before %@",
                     serverCPU.timeInterval / seconds, outcome.clientCPU.timeInterval / seconds, other.timeInterval / seconds,
                     ProcessInfo.processInfo.activeProcessorCount, load1))
        print(String(format: "  server: %.0f µs of CPU per accepted request, %.1f log lines per request", serverCPU.timeInterval * 1e6 / Double(max(1, accepted)),
                     Double(logLines) / Double(requests)))

        // Durability: every 202 names a run that is in the database with the delivery's key.
        let store = try SQLiteRunStore(path: database, configuration: .init(synchronous: synchronous))
        let check = try await Self.verify(outcome, store: store)
        let succeeded = try await store.countRuns(filter: RunFilter(statuses: [.succeeded]))
        let waiting = try await store.countRuns(filter: RunFilter(statuses: [.queued, .running]))
        print("  runs executed by the server so far: \(succeeded) succeeded, \(waiting) queued or running (warm-up included)")
        print("  peak RSS of the server (VmHWM): \(ProcessMemory.mib(server.peakResident))")
        let started = ContinuousClock.now
        let status = await server.terminate(timeout: .seconds(30))
        print("  SIGTERM: exit status \(status.map(String.init) ?? "none (killed after 30 s)") in \(ExecutorScenario.ms(ContinuousClock.now - started))")
        if !server.problemLines.isEmpty {
            print("  server warnings: \(server.problemLines.count), e.g. \(server.problemLines[0])")
        }
        print("  check: \(check.message)")
        return check.ok && accepted == requests
    }

    /// Checks that every 202 answer's run exists with the delivery's idempotency key.
    private static func verify(_ outcome: HTTPLoad.Outcome, store: SQLiteRunStore) async throws -> (ok: Bool, message: String) {
        let runIDs = outcome.bodies.map { $0.flatMap(runID(in:)) }
        let accepted = zip(outcome.statuses.indices, outcome.statuses).filter { $0.1 == 202 }.map(\.0)
        let next = Ticket()
        let problems = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var problems: [String] = []
                    while case let turn = next.next(), turn < accepted.count {
                        let index = accepted[turn]
                        guard let id = runIDs[index] else { problems.append("request \(index): no run_id in the 202 answer"); continue }
                        guard let run = try await store.run(id: id) else {
                            problems.append("request \(index): run \(id) is not in the database"); continue
                        }
                        if run.idempotencyKey != "m-\(index)" {
                            problems.append("request \(index): run \(id) has idempotency key \(run.idempotencyKey ?? "none")")
                        }
                    }
                    return problems
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let distinct = Set(accepted.compactMap { runIDs[$0] }).count
        if problems.isEmpty && distinct == accepted.count {
            return (true, "every one of the \(accepted.count) 202 answers names a distinct run found in the database with its delivery's key")
        }
        return (false, "\(problems.count) problem(s) among \(accepted.count) 202 answers (\(distinct) distinct run ids), e.g. \(problems.first ?? "duplicate run ids")")
    }

    /// The `run_id` of a 202 answer.
    private static func runID(in body: ByteBuffer) -> String? {
        let text = String(buffer: body)
        guard let range = text.range(of: "\"run_id\":\"") else { return nil }
        let rest = text[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    private static func statusSummary(_ statuses: [Int]) -> String {
        Dictionary(grouping: statuses, by: { $0 }).map { "\($0.key == 0 ? "none" : String($0.key)): \($0.value)" }.sorted().joined(separator: ", ")
    }

    /// Encodes `count` deliveries, each with its own body and delivery id (and signature).
    static func requests(count: Int, prefix: String, port: Int, signed: Bool) -> [ByteBuffer] {
        let key = SymmetricKey(data: Data(secret.utf8))
        return (0..<count).map { index in
            let body = "{\"order\":\"\(prefix)-\(index)\",\"amount\":\(index % 1000).5,\"quantity\":3,\"customer\":{\"id\":\(index % 97),\"tier\":\"gold\"}}"
            var head = "POST /hooks/bench HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n"
            head += "Content-Length: \(body.utf8.count)\r\nX-Delivery-Id: \(prefix)-\(index)\r\n"
            if signed {
                let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: key)
                head += "X-Hub-Signature-256: sha256=\(mac.map { String(format: "%02x", $0) }.joined())\r\n"
            }
            return ByteBuffer(string: head + "\r\n" + body)
        }
    }
}

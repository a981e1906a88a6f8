import BatonStore
import Foundation

/// `baton-bench audit`: fills a database with a million finished runs of 5 steps each, starts
/// the real `baton serve` on it and times what the audit API answers a person looking
/// through it: the first page of `GET /api/runs` with and without filters, a run page, and
/// an export of 10,000 runs.
///
/// Targets: list and run pages p99 under 20 ms; export at least 20,000 runs/s.
enum AuditScenario {
    static let usage = """
        usage: baton-bench audit [--runs N] [--db FILE] [--samples N] [--baton PATH] [--keep]
          --db FILE   fill FILE if it does not exist, else measure it as it is (the fill takes minutes)
        """

    struct Options {
        var runs = 1_000_000
        var database: String? = nil
        var samples = 300
        var baton: String? = nil
        var keep = false
    }

    /// Runs the scenario with the arguments after `audit`.
    static func run(arguments: [String]) async throws {
        let options = try parse(arguments)
        let baton = try locateBaton(options.baton)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if !options.keep { try? FileManager.default.removeItem(at: directory) } }
        let path = options.database ?? directory.appendingPathComponent("audit.sqlite").path

        print("scenario: audit")
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage())")
        print("server: \(baton.path)")
        if FileManager.default.fileExists(atPath: path) {
            print("database: \(path) (existing, \(megabytes(path)) MB)")
        } else {
            print("filling \(path) with \(options.runs) runs of 5 steps (synchronous=OFF for the fill)...")
            try await AuditFill(runs: options.runs).fill(path: path) { written, elapsed in
                print(String(format: "  %8d runs in %6.1f s (%.0f runs/s)", written, elapsed.auditSeconds,
                             Double(written) / max(0.001, elapsed.auditSeconds)))
            }
            print("database: \(megabytes(path)) MB")
        }
        let samples = try await sampleIDs(path: path, count: 200)

        let workflows = directory.appendingPathComponent("Workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        let token = "audit-bench-token"
        let server = try await AuditServer(baton: baton, database: path, workflows: workflows.path, token: token,
                                           log: directory.appendingPathComponent("serve.log"))
        do {
            try await measure(AuditProbe(baseURL: server.url, token: token), samples: samples, count: options.samples, server: server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        print("load average after: \(loadAverage())")
    }

    private static func measure(_ probe: AuditProbe, samples ids: [String], count: Int, server: AuditServer) async throws {
        let cpuBefore = server.cpuSeconds
        // A cursor ten pages deep, for the page a person reaches by clicking "next".
        var cursor = ""
        for _ in 0..<10 {
            let page = try await probe.checked("/api/runs?limit=50" + (cursor.isEmpty ? "" : "&cursor=\(cursor)"))
            let text = String(buffer: page.body)
            guard let range = text.range(of: #""next_cursor":"([^"]+)""#, options: .regularExpression) else { break }
            cursor = String(text[range].dropFirst(#""next_cursor":""#.count).dropLast())
        }
        var pages: [AuditProbe.Latency] = []
        let lists: [(String, String)] = [
            ("runs, no filter", "/api/runs"),
            ("runs, 10 pages deep", "/api/runs?cursor=\(cursor)"),
            ("runs, workflow", "/api/runs?workflow=workflow-07"),
            ("runs, status=failed", "/api/runs?status=failed"),
            ("runs, workflow+status", "/api/runs?workflow=workflow-08&status=cancelled"),
            ("runs, trigger=poll", "/api/runs?trigger=poll"),
            ("runs, since=24h", "/api/runs?since=24h&status=failed"),
            ("runs, q (8% match)", "/api/runs?q=bad%20gateway"),
            ("runs, q (1% match)", "/api/runs?q=cust-004"),
        ]
        for (name, path) in lists {
            pages.append(try await probe.measure(name, samples: count) { _ in path })
        }
        pages.append(try await probe.measure("run page", samples: count) { index in "/api/runs/\(ids[index % ids.count])" })
        let rare = try await probe.measure("runs, q (0.1% match)", samples: 20, warmup: 2) { _ in "/api/runs?q=cust-0042" }
        let unique = try await probe.measure("runs, q (1 match: full scan)", samples: 3, warmup: 1) { _ in "/api/runs?q=ORD-0000042" }
        let workflows = try await probe.measure("workflows (counts of 24 h)", samples: 50, warmup: 2) { _ in "/api/workflows" }

        print("")
        print("request                          p50 ms   p99 ms   max ms   bytes  target")
        for latency in pages {
            let p99 = latency.percentile(0.99)
            print(row(latency, target: p99 < .milliseconds(20) ? "p99 < 20 ms: met" : "p99 < 20 ms: MISSED"))
        }
        print(row(rare, target: "(no target: reads ~50,000 runs)"))
        print(row(unique, target: "(no target: reads every run)"))
        print(row(workflows, target: "(no target: counts ~33,000 runs)"))

        print("")
        for format in ["jsonl", "csv"] {
            var rates: [Double] = []
            var bytes = 0
            for _ in 0..<5 {
                let result = try await probe.checked("/api/runs/export?format=\(format)&limit=10000")
                rates.append(10_000 / result.elapsed.auditSeconds)
                bytes = result.bytes
            }
            let best = rates.max() ?? 0, median = rates.sorted()[rates.count / 2]
            print(String(format: "export of 10,000 runs as %@: median %.0f runs/s, best %.0f runs/s (%.1f MB) -> %@", format,
                         median, best, Double(bytes) / 1e6, median >= 20_000 ? "target >= 20,000 runs/s: met" : "target >= 20,000 runs/s: MISSED"))
        }
        let whole = try await probe.checked("/api/runs/export?format=jsonl&since=7d")
        let lines = whole.body.readableBytesView.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        print(String(format: "export of the last 7 days (%d runs, %.0f MB): %.1f s, %.0f runs/s", lines, Double(whole.bytes) / 1e6,
                     whole.elapsed.auditSeconds, Double(lines) / whole.elapsed.auditSeconds))
        print(String(format: "server CPU time while measured: %.1f s", server.cpuSeconds - cpuBefore))
    }

    private static func row(_ latency: AuditProbe.Latency, target: String) -> String {
        let name = latency.name.padding(toLength: 30, withPad: " ", startingAt: 0)
        let sorted = latency.samples.sorted()
        return "\(name) \(pad(latency.percentile(0.5).auditMilliseconds)) \(pad(latency.percentile(0.99).auditMilliseconds)) \(pad(sorted.last!.auditMilliseconds)) \(pad(String(latency.bytes), 7))  \(target)"
    }

    private static func pad(_ text: String, _ width: Int = 8) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// Ids of `count` runs spread over the whole history, for run pages.
    private static func sampleIDs(path: String, count: Int) async throws -> [String] {
        let store = try SQLiteRunStore(path: path)
        guard let newest = try await store.listRuns(filter: RunFilter(), limit: 1, after: nil).runs.first else {
            throw BenchmarkError("\(path) holds no runs")
        }
        var ids: [String] = []
        for index in 0..<count {
            let until = newest.createdAt.addingTimeInterval(-Double(index) * 30 * 24 * 3600 / Double(count))
            if let run = try await store.listRuns(filter: RunFilter(until: until), limit: 1, after: nil).runs.first {
                ids.append(run.id)
            }
        }
        return ids
    }

    private static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var index = 0
        func value() throws -> String {
            guard index + 1 < arguments.count else { throw BenchmarkError("\(arguments[index]) needs a value\n\(usage)") }
            index += 1
            return arguments[index]
        }
        func number() throws -> Int {
            let text = try value()
            guard let number = Int(text), number > 0 else { throw BenchmarkError("\(arguments[index - 1]) takes a positive whole number, not '\(text)'\n\(usage)") }
            return number
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--runs": options.runs = try number()
            case "--samples": options.samples = try number()
            case "--db": options.database = try value()
            case "--baton": options.baton = try value()
            case "--keep": options.keep = true
            default: throw BenchmarkError("unknown argument '\(arguments[index])'\n\(usage)")
            }
            index += 1
        }
        return options
    }

    private static func locateBaton(_ explicit: String?) throws -> URL {
        let bench = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let path = explicit ?? URL(fileURLWithPath: bench).deletingLastPathComponent().appendingPathComponent("baton").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchmarkError("no baton executable at \(path): build it with the same --scratch-path (swift build -c release --product baton), or pass --baton PATH")
        }
        return URL(fileURLWithPath: path)
    }

    private static func megabytes(_ path: String) -> Int {
        let size = [path, path + "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int }.reduce(0, +)
        return size / 1_000_000
    }

    private static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    }
}

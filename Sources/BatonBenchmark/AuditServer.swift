import Foundation

/// The real `baton serve` on a filled database, for the audit benchmark: started on a free
/// port with a known API token, its log drained to a file, stopped with SIGTERM.
final class AuditServer: @unchecked Sendable {
    let url: String
    private let process: Process

    /// Starts `baton serve` and waits (at most 60 s: it opens a large database) until it prints its URL.
    init(baton: URL, database: String, workflows: String, token: String, log: URL) async throws {
        let process = Process()
        process.executableURL = baton
        process.arguments = ["serve", "--db", database, "--workflows", workflows, "--host", "127.0.0.1", "--port", "0",
                             "--log-level", "info"]
        var environment = ProcessInfo.processInfo.environment
        environment["BATON_API_TOKEN"] = token
        process.environment = environment
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(60)
        var found: String? = nil
        while found == nil, ContinuousClock.now < deadline, process.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening on (http://[0-9.]+:[0-9]+)"#, options: .regularExpression) {
                found = String(text[range].dropFirst("listening on ".count))
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw BenchmarkError("baton serve did not print its URL within 60 s:\n\(text.suffix(2000))")
        }
        url = found
    }

    /// The server's CPU time so far (user + system), from /proc.
    var cpuSeconds: Double {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Sends SIGTERM and waits at most 30 s.
    func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

import Foundation
import Synchronization

/// A real `baton serve` child process: started on a temporary database, its URL read from its
/// log, its memory and CPU time read from `/proc`, stopped with SIGTERM.
///
/// Its stderr is drained by a thread for as long as the process lives (a full pipe would stall
/// the server's logging and so the server); the lines are counted and the last ones kept for
/// error reports.
final class ServeProcess: Sendable {
    /// The `baton` executable.
    let executable: URL
    /// The URL the server printed ("listening on http://...").
    let url: URL
    /// The child's process id.
    let pid: Int32
    private let process: Process
    private let log: ServeLog

    /// Starts `baton serve --port 0` and waits (at most `startTimeout`) until it prints its URL.
    init(executable: URL, arguments: [String], environment: [String: String], startTimeout: Duration) async throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0"] + arguments
        var merged = ProcessInfo.processInfo.environment
        for (name, value) in environment { merged[name] = value }
        process.environment = merged
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let log = ServeLog()
        try process.run()
        log.drain(pipe.fileHandleForReading)

        let deadline = ContinuousClock.now + startTimeout
        var found: URL? = nil
        // Bounded by the deadline, and ends early when the child exits.
        while ContinuousClock.now < deadline {
            if let url = log.listeningURL { found = url; break }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard let found else {
            if process.isRunning { process.interrupt(); kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            throw BenchmarkError("""
                baton serve did not print 'listening on http://...' within \(startTimeout) (exit status \(process.isRunning ? "running" : "\(process.terminationStatus)")); its last log lines:
                \(log.tail.joined(separator: "\n"))
                """)
        }
        self.executable = executable
        self.url = found
        self.pid = process.processIdentifier
        self.process = process
        self.log = log
    }

    /// The port the server listens on.
    var port: Int { url.port ?? 0 }

    /// Log lines read so far.
    var logLines: Int { log.count }

    /// The last log lines, for error reports.
    var logTail: [String] { log.tail }

    /// Log lines at warning level or above seen so far (StreamLogHandler prints the level as a word).
    var problemLines: [String] { log.problems }

    /// Peak resident memory so far (`VmHWM`), in bytes; -1 once the process is gone.
    var peakResident: Int { ProcessStatus.field("VmHWM", pid: pid) }

    /// CPU time (user + system) the server used so far.
    var cpuTime: Duration { ProcessStatus.cpuTime(pid: pid) }

    /// Sends SIGTERM and waits (at most `timeout`, then SIGKILL) for the server to exit; returns
    /// its exit status, or nil when it had to be killed.
    @discardableResult
    func terminate(timeout: Duration) async -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The `baton` executable beside this benchmark's (same build folder), or `explicit`.
    static func locateBaton(explicit: String?) throws -> URL {
        if let explicit {
            guard FileManager.default.isExecutableFile(atPath: explicit) else {
                throw BenchmarkError("--baton \(explicit) is not an executable file")
            }
            return URL(fileURLWithPath: explicit)
        }
        let bench = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let candidate = URL(fileURLWithPath: bench).deletingLastPathComponent().appendingPathComponent("baton")
        guard FileManager.default.isExecutableFile(atPath: candidate.path) else {
            throw BenchmarkError("""
                no baton executable at \(candidate.path): build it into the same folder first \
                (swift build -c release --product baton, with the same --scratch-path), or pass --baton PATH
                """)
        }
        return candidate
    }

    /// One line about the binary measured, so that a stale build is noticed.
    static func describe(_ executable: URL) -> String {
        let modified = (try? FileManager.default.attributesOfItem(atPath: executable.path)[.modificationDate]) as? Date
        let age = modified.map { String(format: "built %.0f min ago", Date().timeIntervalSince($0) / 60) } ?? "build time unknown"
        return "server: \(executable.path) (\(age))"
    }
}

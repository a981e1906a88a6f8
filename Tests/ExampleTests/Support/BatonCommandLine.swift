import Foundation

/// Runs the real `baton` binary once, with a time limit, and keeps what it printed.
enum BatonCommandLine {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `baton arguments...` in `directory` with `environment` added to this process's.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:],
                    timeout: Duration = .seconds(60)) async throws -> Output {
        let process = Process()
        process.executableURL = BatonServeProcess.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let stdout = FileManager.default.temporaryDirectory.appendingPathComponent("baton-out-\(UUID().uuidString)")
        let stderr = FileManager.default.temporaryDirectory.appendingPathComponent("baton-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: stdout.path, contents: nil)
        FileManager.default.createFile(atPath: stderr.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: stdout)
            try? FileManager.default.removeItem(at: stderr)
        }
        // Files rather than pipes: a chatty command can never block on a full pipe.
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            process.terminate()
            throw TimedOut(arguments: arguments)
        }
        return Output(status: process.terminationStatus, stdout: try String(contentsOf: stdout, encoding: .utf8),
                      stderr: try String(contentsOf: stderr, encoding: .utf8))
    }

    struct TimedOut: Error, CustomStringConvertible {
        var arguments: [String]
        var description: String { "baton \(arguments.joined(separator: " ")) did not finish in time" }
    }
}

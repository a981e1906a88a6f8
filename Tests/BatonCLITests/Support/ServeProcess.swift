import Foundation

/// A real `baton serve` process on a free port, its standard error collected as it comes.
final class ServeProcess: @unchecked Sendable {
    private let process: Process
    private let errors: LockedData
    /// The server's URL, read from its "listening on" log line.
    let url: String

    private init(process: Process, url: String, errors: LockedData) {
        self.process = process
        self.url = url
        self.errors = errors
    }

    /// Starts `baton serve --port 0 arguments...` in `directory` and waits (at most 30 s) until it listens.
    static func start(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) async throws -> ServeProcess {
        let process = Process()
        process.executableURL = BatonProcess.binary
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["BATON_API_TOKEN"] = nil
        env.merge(environment) { _, new in new }
        process.environment = env
        let stderr = Pipe(), stdout = Pipe()
        process.standardError = stderr
        process.standardOutput = stdout
        process.standardInput = FileHandle.nullDevice
        let collected = LockedData(), printed = LockedData()
        stderr.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
        stdout.fileHandleForReading.readabilityHandler = { handle in printed.append(handle.availableData) }
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        var url: String? = nil
        while url == nil, ContinuousClock.now < deadline, process.isRunning {
            let text = collected.text
            if let range = text.range(of: #"listening on (http://[0-9.]+:[0-9]+)"#, options: .regularExpression) {
                url = String(text[range].dropFirst("listening on ".count))
            } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        guard let url else {
            if process.isRunning { process.terminate() }
            throw StartFailed(log: collected.text)
        }
        return ServeProcess(process: process, url: url, errors: collected)
    }

    /// Everything the server wrote to standard error so far.
    var log: String { errors.text }

    /// Sends `signal` (SIGTERM by default).
    func signal(_ signal: Int32 = SIGTERM) {
        Foundation.kill(process.processIdentifier, signal)
    }

    /// Waits for the process to exit, at most `limit`; kills it and throws past that.
    func waitForExit(upTo limit: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            throw DidNotExit(log: log)
        }
        return process.terminationStatus
    }

    /// Stops the server, ignoring how (for cleanup).
    func stop() async {
        if process.isRunning { signal(SIGTERM) }
        _ = try? await waitForExit(upTo: .seconds(20))
    }

    struct StartFailed: Error, CustomStringConvertible {
        var log: String
        var description: String { "baton serve did not print its URL within 30 s:\n\(log)" }
    }

    struct DidNotExit: Error, CustomStringConvertible {
        var log: String
        var description: String { "baton serve did not exit in time:\n\(log)" }
    }
}

/// Bytes appended by a pipe's handler and read by the test.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}

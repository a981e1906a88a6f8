import Foundation
import Synchronization

/// The real `baton` binary running `serve` in a folder of its own, its standard error kept.
final class BatonServeProcess: Sendable {
    private let process: Process
    private let errors: Collected
    /// The server's URL, read from its "listening on" line.
    let url: String

    private init(process: Process, errors: Collected, url: String) {
        self.process = process
        self.errors = errors
        self.url = url
    }

    /// The binary built beside the test bundle (SwiftPM builds it first: the target depends on it).
    static let binary: URL = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("baton")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return Repository.root.appendingPathComponent(".build/debug/baton")
    }()

    /// Runs `baton arguments...` in `directory` and waits (at most 30 s) until it listens.
    static func start(_ arguments: [String], in directory: URL) async throws -> BatonServeProcess {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["BATON_API_TOKEN"] = nil          // as on a first start: serve makes a token and prints it
        process.environment = environment
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let errors = Collected()
        pipe.fileHandleForReading.readabilityHandler = { handle in errors.append(handle.availableData) }
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, process.isRunning {
            if let match = errors.text.firstMatch(of: #/listening on (http://[0-9.]+:[0-9]+)/#) {
                return BatonServeProcess(process: process, errors: errors, url: String(match.1))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { process.terminate() }
        throw StartFailed(log: errors.text)
    }

    /// What the server wrote to standard error so far.
    var log: String { errors.text }

    /// Stops the server with SIGTERM and waits for it (at most 20 s, then SIGKILL).
    func stop() async {
        if process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    struct StartFailed: Error, CustomStringConvertible {
        var log: String
        var description: String { "baton serve did not say where it listens within 30 s:\n\(log)" }
    }
}

/// Bytes a pipe's handler appends while the test reads them.
private final class Collected: Sendable {
    private let data = Mutex(Data())

    func append(_ chunk: Data) { data.withLock { $0.append(chunk) } }
    var text: String { data.withLock { String(decoding: $0, as: UTF8.self) } }
}

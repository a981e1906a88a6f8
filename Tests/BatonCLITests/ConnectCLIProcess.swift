import AsyncHTTPClient
import Foundation

/// A `baton` process in the background (`baton connect` waiting for its redirect, `baton run`
/// to be killed), its output collected as it comes.
final class ConnectCLIProcess: @unchecked Sendable {
    let process: Process
    private let out = LockedData(), err = LockedData()

    private init(process: Process) { self.process = process }

    /// Starts `baton arguments...` in `directory` with `environment` added.
    static func start(_ arguments: [String], in directory: URL, environment: [String: String]) throws -> ConnectCLIProcess {
        let process = Process()
        process.executableURL = BatonProcess.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let started = ConnectCLIProcess(process: process)
        stdout.fileHandleForReading.readabilityHandler = { [out = started.out] handle in out.append(handle.availableData) }
        stderr.fileHandleForReading.readabilityHandler = { [err = started.err] handle in err.append(handle.availableData) }
        try process.run()
        return started
    }

    /// What it printed on standard output and standard error so far.
    var stdout: String { out.text }
    var stderr: String { err.text }

    /// Waits (at most `limit`) for a line of standard output starting with `prefix`.
    func line(startingWith prefix: String, within limit: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let line = stdout.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) { return String(line) }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure(description: "no line starting with \(prefix) on standard output; stderr:\n\(stderr)")
    }

    /// Waits for the exit, at most `limit` (then kills it and throws).
    func exitStatus(within limit: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                kill(SIGKILL)
                throw Failure(description: "baton did not exit in time; stderr:\n\(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// Sends `signal` and reaps the process.
    func kill(_ signal: Int32) {
        if process.isRunning { Foundation.kill(process.processIdentifier, signal) }
        process.waitUntilExit()
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// GETs `url` without following redirects; returns the status, the `Location` header and the body.
    static func get(_ url: String) async throws -> (status: Int, location: String?, body: String) {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 16)
            try await client.shutdown()
            return (Int(response.status.code), response.headers.first(name: "location"), String(buffer: body))
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

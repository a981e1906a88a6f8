import Foundation

/// Headless Chromium, the real browser the dashboard tests load pages in: a fresh profile per
/// call, and every call bounded in time (a hung browser is killed).
struct Chromium: Sendable {
    /// What went wrong running the browser, with what it printed.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The browser binary.
    let executable: String
    /// How long one page may take before the browser is killed.
    var timeout: Duration = .seconds(30)

    /// The `chromium` binary on `PATH` (Debian's package; `.ci/run` installs it), if any.
    static func find() -> Chromium? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return Chromium(executable: candidate) }
            }
        }
        return nil
    }

    /// The DOM of `url` after it loaded (redirects followed), serialized as HTML.
    func dumpDOM(_ url: String) async throws -> String {
        try await run(["--dump-dom", url])
    }

    /// Saves a PNG of `url` as a window of `width` × `height` shows it.
    func screenshot(_ url: String, to path: String, width: Int = 1280, height: Int = 900) async throws {
        _ = try await run(["--screenshot=\(path)", "--window-size=\(width),\(height)", url])
        guard FileManager.default.fileExists(atPath: path) else { throw Failure(description: "chromium wrote no screenshot at \(path)") }
    }

    private func run(_ arguments: [String]) async throws -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("baton-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("stdout"), errors = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        FileManager.default.createFile(atPath: errors.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // A throwaway profile, and nothing in the background that would reach the internet.
        // (Script stays on: --dump-dom needs it. The pages have none; their CSP forbids any.)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(scratch.appendingPathComponent("profile").path)",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", "--disable-default-apps", "--hide-scrollbars",
        ] + arguments
        // Files, not pipes: a DOM larger than a pipe's buffer would otherwise block the browser.
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()

        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            process.terminate()
            try? await Task.sleep(for: .seconds(2))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            throw Failure(description: "chromium did not finish \(arguments.last ?? "") within \(timeout) and was killed; "
                          + "its last words: \(Self.tail(errors))")
        }
        process.waitUntilExit()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw Failure(description: "chromium exited with \(process.terminationStatus) for \(arguments.last ?? ""): \(Self.tail(errors))")
        }
        return text
    }

    private static func tail(_ file: URL) -> String {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }
}

import AsyncHTTPClient
import BatonCore
import BatonEngine
import BatonStore
import Foundation

/// What both scenarios share: a fresh SQLite store in a temporary folder, observed, and the
/// executor's dependencies built the way `baton worker` builds them.
struct BenchSetup: Sendable {
    let directory: URL
    let sqlite: SQLiteRunStore
    let store: ObservedStore
    let dependencies: ExecutorDependencies

    init(synchronous: SQLiteRunStore.Synchronous) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        sqlite = try SQLiteRunStore(path: directory.appendingPathComponent("bench.sqlite").path,
                                    configuration: .init(synchronous: synchronous))
        store = ObservedStore(base: sqlite)
        dependencies = ExecutorDependencies(
            store: store, remote: HTTPStepCalls(client: StepHTTPClient(client: HTTPClient.shared)),
            environment: RunEnvironment(), owner: "baton-bench-\(ProcessInfo.processInfo.processIdentifier)")
    }

    /// Loads a workflow from YAML text, or fails with its diagnostics.
    static func workflow(_ yaml: String) throws -> Workflow {
        let result = WorkflowLoader.load(text: yaml, file: "bench.yaml")
        guard let workflow = result.workflow else {
            throw BenchmarkError(result.diagnostics.map(\.description).joined(separator: "\n"))
        }
        return workflow
    }

    /// Prints the machine and the durability actually in effect.
    func printContext(scenario: String) async throws {
        let durability = try await sqlite.durability()
        print("scenario: \(scenario)")
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(Self.loadAverage())")
        print("sqlite: journal_mode=\(durability.journalMode), synchronous=\(durability.synchronous.rawValue) (\(sqlite.path))")
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    }
}

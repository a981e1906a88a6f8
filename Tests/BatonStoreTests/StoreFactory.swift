import BatonStore
import Foundation
import Testing

/// Makes fresh stores of one driver for the shared conformance suite.
///
/// Every store driver adds a factory to ``all``; every conformance test runs for each.
struct StoreFactory: Sendable, CustomTestStringConvertible {
    /// The driver's name, shown in test results.
    let name: String
    /// Runs `body` with a fresh, empty database, then removes it.
    let withFixture: @Sendable (_ body: @Sendable (StoreFixture) async throws -> Void) async throws -> Void

    var testDescription: String { name }

    /// Every driver the suite runs against.
    static let all: [StoreFactory] = [.sqlite]

    /// SQLite: a real file in a temporary directory, with the production settings (WAL, synchronous=FULL).
    static let sqlite = StoreFactory(name: "SQLite") { body in
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("baton-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("baton.sqlite").path
        let store = try SQLiteRunStore(path: path)
        try await body(StoreFixture(store: store, openAnother: { try SQLiteRunStore(path: path) }))
    }
}

/// A store under test, and a way to open a second, independent store on the same database
/// (what a second `baton` process would do). Every driver keeps trigger state too.
struct StoreFixture: Sendable {
    let store: any RunStore & TriggerStore
    let openAnother: @Sendable () throws -> any RunStore & TriggerStore
}

/// Fixed times for the injected clock.
enum T {
    /// An arbitrary whole second.
    static let zero = Date(timeIntervalSince1970: 1_750_000_000)

    /// `seconds` after ``zero``.
    static func at(_ seconds: Double) -> Date { zero.addingTimeInterval(seconds) }
}

extension RunStore {
    /// Saves a small workflow version named `name`.
    func version(_ name: String = "crosspost", hash: String = "h1") async throws -> WorkflowVersion {
        try await saveWorkflowVersion(name: name, hash: hash, source: "name: \(name)\n", now: T.zero)
    }

    /// Creates a run of `version` and returns it.
    func newRun(
        _ version: WorkflowVersion, key: String? = nil, kind: TriggerKind = .manual, at now: Date = T.zero
    ) async throws -> Run {
        try await createRun(
            NewRun(workflowVersionID: version.id, triggerKind: kind, triggerPayload: #"{"a":1}"#, idempotencyKey: key),
            now: now
        ).run
    }

    /// Claims exactly one run for `owner` (failing the test otherwise).
    func claimOne(owner: String, at now: Date = T.zero, lease: Duration = .seconds(30)) async throws -> Run {
        let claimed = try await claimRuns(owner: owner, limit: 1, leaseDuration: lease, now: now)
        return try #require(claimed.first)
    }
}

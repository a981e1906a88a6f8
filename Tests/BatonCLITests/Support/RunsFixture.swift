import BatonStore
import Foundation

/// A database with two runs of `orders` written through the store at fixed times and with
/// fixed ids, so that `baton runs` prints exactly predictable text.
enum RunsFixture {
    /// 2026-03-29T09:00:00Z.
    static let start = Date(timeIntervalSince1970: 1_774_774_800)
    static let failedID = "01JQ0000000000000000FAILED"
    static let succeededID = "01JQ0000000000000000000OK1"

    static func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    /// Writes the runs into the database at `path` (created if needed).
    static func write(to path: String) async throws {
        let store = try SQLiteRunStore(path: path, configuration: .init(synchronous: .off))
        let version = try await store.saveWorkflowVersion(name: "orders", hash: "h1", source: "name: orders\n", now: start)
        let failed = try await store.createClaimedRun(
            NewRun(id: failedID, workflowVersionID: version.id, triggerKind: .webhook, triggerPayload: #"{"body":{"order":"A-1"}}"#),
            owner: "fixture", leaseDuration: .seconds(3600), now: at(0)).run
        let declined = "HTTP 500: card declined"
        try await store.commit([.stepFinished(runID: failed.id, step: StepKey("fetch"), status: .succeeded, output: #"{"id":7}"#,
                                              attempts: [NewAttempt(number: 1, startedAt: at(0.1), duration: .milliseconds(120), responseStatus: 200)])],
                               owner: "fixture", now: at(0.22))
        try await store.commit([.stepFinished(runID: failed.id, step: StepKey("charge"), status: .failed,
                                              error: #"{"code":"http_status","message":"\#(declined)"}"#,
                                              attempts: [NewAttempt(number: 1, startedAt: at(0.3), duration: .milliseconds(200), responseStatus: 500, error: declined),
                                                         NewAttempt(number: 2, startedAt: at(1.5), duration: .milliseconds(250), responseStatus: 500, error: declined)])],
                               owner: "fixture", now: at(1.75))
        try await store.commit([.stepFinished(runID: failed.id, step: StepKey("receipt"), status: .skipped),
                                .runFinished(runID: failed.id, status: .failed, error: #"{"step":"charge","code":"http_status","message":"\#(declined)"}"#)],
                               owner: "fixture", now: at(1.75))
        let succeeded = try await store.createClaimedRun(
            NewRun(id: succeededID, workflowVersionID: version.id, triggerKind: .manual, triggerPayload: #"{"kind":"manual"}"#),
            owner: "fixture", leaseDuration: .seconds(3600), now: at(60)).run
        try await store.commit([.stepFinished(runID: succeeded.id, step: StepKey("fetch"), status: .succeeded, output: "1",
                                              attempts: [NewAttempt(number: 1, startedAt: at(60), duration: .milliseconds(40))]),
                                .runFinished(runID: succeeded.id, status: .succeeded, output: "1")],
                               owner: "fixture", now: at(60.05))
    }
}

import BatonStore
import Foundation
import Testing

/// Conformance: the audit's queries (text search, counts by status, latest version) and runs
/// made from earlier runs (retries that carry succeeded steps over, replays), with their lineage.
struct RunStoreAuditTests {
    /// Creates a run with `payload`, claims it and finishes it with `status` and `error`.
    private func finishedRun(
        _ store: any RunStore, _ version: WorkflowVersion, payload: String, status: RunStatus, error: String? = nil,
        at time: Double
    ) async throws -> Run {
        let run = try await store.createClaimedRun(
            NewRun(workflowVersionID: version.id, triggerKind: .webhook, triggerPayload: payload),
            owner: "w", leaseDuration: .seconds(60), now: T.at(time)).run
        try await store.commit([.runFinished(runID: run.id, status: status, error: error)], owner: "w", now: T.at(time + 0.5))
        return try #require(try await store.run(id: run.id))
    }

    @Test("text finds runs by their trigger payload or error, ignoring case, newest first", arguments: StoreFactory.all)
    func textSearch(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let version = try await store.version("orders")
            let invoice = try await finishedRun(store, version, payload: #"{"body":{"invoice":"INV-42","note":"50% off"}}"#, status: .succeeded, at: 1)
            let timeout = try await finishedRun(store, version, payload: #"{"body":{"invoice":"INV-7"}}"#, status: .failed,
                                                error: #"{"step":"charge","message":"Connection timed out after 10s"}"#, at: 2)
            let quoted = try await finishedRun(store, version, payload: #"{"body":{"title":"say \"hi\""}}"#, status: .succeeded, at: 3)
            _ = try await finishedRun(store, version, payload: #"{"body":{"invoice":"INV-8"}}"#, status: .succeeded, at: 4)
            func ids(_ text: String, _ filter: RunFilter = RunFilter()) async throws -> [String] {
                var filter = filter
                filter.text = text
                return try await store.listRuns(filter: filter, limit: 50, after: nil).runs.map(\.id)
            }
            #expect(try await ids("inv-42") == [invoice.id])
            #expect(try await ids("TIMED OUT") == [timeout.id])
            #expect(try await ids("INV-") .count == 3)
            #expect(try await ids("INV-", RunFilter(statuses: [.failed])) == [timeout.id])
            // % and _ are text, not wildcards; a quote matches the escaped quote of a JSON string.
            #expect(try await ids("50%") == [invoice.id])
            #expect(try await ids("INV_4").isEmpty)
            #expect(try await ids(#"say "hi""#) == [quoted.id])
            #expect(try await ids(#""invoice":"INV-42""#) == [invoice.id], "a fragment of the JSON text is found too")
            #expect(try await ids("nowhere").isEmpty)
            #expect(try await ids("").count == 4, "an empty text matches every run")
            #expect(try await store.countRuns(filter: RunFilter(text: "inv-")) == 3)
            // Paging through a text search visits each match once.
            let first = try await store.listRuns(filter: RunFilter(text: "inv"), limit: 2, after: nil)
            let rest = try await store.listRuns(filter: RunFilter(text: "inv"), limit: 2, after: first.next)
            #expect(first.runs.count == 2 && rest.runs.count == 1 && rest.next == nil)
            #expect(Set(first.runs.map(\.id) + rest.runs.map(\.id)).count == 3)
        }
    }

    @Test("counts by workflow and status include only runs created since the time", arguments: StoreFactory.all)
    func counts(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let orders = try await store.version("orders")
            let digest = try await store.version("digest")
            _ = try await finishedRun(store, orders, payload: "{}", status: .succeeded, at: 1)
            _ = try await finishedRun(store, orders, payload: "{}", status: .succeeded, at: 10)
            _ = try await finishedRun(store, orders, payload: "{}", status: .failed, at: 11)
            _ = try await finishedRun(store, digest, payload: "{}", status: .succeeded, at: 12)
            _ = try await store.newRun(digest, at: T.at(13))
            let counts = try await store.runCounts(since: T.at(5))
            #expect(counts == ["orders": [.succeeded: 1, .failed: 1], "digest": [.succeeded: 1, .queued: 1]])
            #expect(try await store.runCounts(since: T.at(100)).isEmpty)
        }
    }

    @Test("the latest version of a workflow is the last one saved", arguments: StoreFactory.all)
    func latestVersion(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            _ = try await store.version("orders", hash: "a")
            let second = try await store.version("orders", hash: "b")
            _ = try await store.version("digest", hash: "c")
            #expect(try await store.latestWorkflowVersion(named: "orders")?.id == second.id)
            #expect(try await store.latestWorkflowVersion(named: "missing") == nil)
        }
    }

    @Test("a retry carries the succeeded steps named over, with their attempts, and leaves the original as it was",
          arguments: StoreFactory.all)
    func retryCarriesSucceededSteps(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let version = try await store.version("orders")
            let original = try await store.createClaimedRun(
                NewRun(workflowVersionID: version.id, triggerKind: .webhook, triggerPayload: #"{"a":1}"#, inputs: #"{"n":2}"#),
                owner: "w", leaseDuration: .seconds(60), now: T.at(0)).run
            let tried = NewAttempt(number: 1, startedAt: T.at(1), duration: .milliseconds(20), requestSummary: #"{"url":"x"}"#, responseStatus: 200)
            let failedTry = NewAttempt(number: 1, startedAt: T.at(2), responseStatus: 500, error: "HTTP 500")
            try await store.commit([
                .stepFinished(runID: original.id, step: StepKey("fetch"), status: .succeeded, output: #"{"id":7}"#, attempts: [tried]),
                .stepFinished(runID: original.id, step: StepKey("each", item: 0), status: .succeeded, output: "1"),
                .stepFinished(runID: original.id, step: StepKey("each", item: 1), status: .failed, error: "no"),
                .stepFinished(runID: original.id, step: StepKey("charge"), status: .failed, error: #"{"message":"HTTP 500"}"#, attempts: [failedTry]),
                .stepFinished(runID: original.id, step: StepKey("alert"), status: .succeeded, output: "true"),
                .runFinished(runID: original.id, status: .failed, error: #"{"step":"charge","message":"HTTP 500"}"#),
            ], owner: "w", now: T.at(3))
            let before = try #require(try await store.run(id: original.id))

            let new = NewRun(workflowVersionID: version.id, triggerKind: .retry, triggerPayload: original.triggerPayload,
                             inputs: original.inputs, idempotencyKey: "retry:\(original.id):1")
            let result = try await store.createDerivedRun(new, from: original.id, kind: .retry,
                                                          carrying: ["fetch", "each", "charge"], now: T.at(10))
            #expect(result.isCreated)
            let retry = result.run
            #expect(retry.status == .queued && retry.triggerKind == .retry && retry.claimCount == 1)
            #expect(retry.triggerPayload == #"{"a":1}"# && retry.inputs == #"{"n":2}"#)
            // Only succeeded executions of the named steps: `alert` (not named) and the failures stay behind.
            let steps = try await store.steps(runID: retry.id)
            #expect(steps.map(\.key) == [StepKey("fetch"), StepKey("each", item: 0)])
            #expect(steps.first?.output == #"{"id":7}"# && steps.first?.startedAt == T.at(1) && steps.first?.finishedAt == T.at(3))
            let attempts = try await store.attempts(runID: retry.id)
            #expect(attempts.map(\.key) == [StepKey("fetch")] && attempts.first?.attempt == tried)

            #expect(try await store.run(id: original.id) == before)
            #expect(try await store.steps(runID: original.id).count == 5)
            #expect(try await store.lineage(runID: retry.id).origin
                == RunOrigin(runID: retry.id, originalRunID: original.id, kind: .retry, createdAt: T.at(10)))
            #expect(try await store.lineage(runID: original.id).derived.map(\.runID) == [retry.id])

            // The same key again makes nothing new and copies nothing twice.
            let again = try await store.createDerivedRun(new, from: original.id, kind: .retry, carrying: ["fetch"], now: T.at(11))
            #expect(!again.isCreated && again.run.id == retry.id)
            #expect(try await store.steps(runID: retry.id).count == 2)
            #expect(try await store.lineage(runID: original.id).derived.count == 1)

            // The executor that claims the retry finds the carried steps.
            let claimed = try await store.claimOne(owner: "w2", at: T.at(12))
            #expect(claimed.id == retry.id && claimed.claimCount == 2)
        }
    }

    @Test("a replay copies no step, and runs made from a missing run are refused", arguments: StoreFactory.all)
    func replayAndMissingOriginal(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let version = try await store.version("orders")
            let original = try await finishedRun(store, version, payload: #"{"a":1}"#, status: .succeeded, at: 0)
            let replay = try await store.createDerivedRun(
                NewRun(workflowVersionID: version.id, triggerKind: .webhook, triggerPayload: original.triggerPayload),
                from: original.id, kind: .replay, carrying: [], now: T.at(5)).run
            #expect(replay.claimCount == 0 && replay.status == .queued)
            #expect(try await store.steps(runID: replay.id).isEmpty)
            #expect(try await store.lineage(runID: replay.id).origin?.kind == .replay)
            await #expect(throws: StoreError.notFound(runID: "missing")) {
                try await store.createDerivedRun(NewRun(workflowVersionID: version.id, triggerKind: .manual),
                                                 from: "missing", kind: .replay, carrying: [], now: T.at(6))
            }
            // Pruning the original keeps the replay's record of where it came from.
            _ = try await store.pruneRuns(finishedBefore: T.at(100), limit: 10)
            #expect(try await store.run(id: original.id) == nil)
            #expect(try await store.lineage(runID: replay.id).origin?.originalRunID == original.id)
        }
    }
}

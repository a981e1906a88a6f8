import BatonStore
import Foundation
import Testing

/// Conformance: many workers checkpointing at once (the group-commit path).
struct RunStoreGroupCommitTests {
    @Test("60 concurrent committers each see exactly their own changes saved", arguments: StoreFactory.all)
    func concurrentCommitters(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let version = try await store.version()
            var runs: [Run] = []
            for index in 0..<60 {
                runs.append(try await store.newRun(version, at: T.at(Double(index))))
            }
            let claimed = try await store.claimRuns(owner: "w", limit: 60, leaseDuration: .seconds(600), now: T.at(100))
            #expect(claimed.count == 60)
            let stepsPerRun = 10
            try await withThrowingTaskGroup(of: Void.self) { group in
                for run in runs {
                    group.addTask {
                        for index in 0..<stepsPerRun {
                            let step = StepKey("s\(index)")
                            try await store.commit(
                                [.stepStarted(runID: run.id, step: step, input: "\(index)")], owner: "w", now: T.at(101))
                            try await store.commit(
                                [.stepFinished(runID: run.id, step: step, status: .succeeded, output: "\(run.id)/\(index)",
                                               attempts: [NewAttempt(number: 1, startedAt: T.at(101), responseStatus: 200)])],
                                owner: "w", now: T.at(102))
                        }
                        try await store.commit([.runFinished(runID: run.id, status: .succeeded, output: run.id)], owner: "w", now: T.at(103))
                    }
                }
                try await group.waitForAll()
            }
            for run in runs {
                let steps = try await store.steps(runID: run.id)
                #expect(steps.count == stepsPerRun)
                #expect(steps.allSatisfy { $0.status == .succeeded && $0.output?.hasPrefix(run.id) == true })
                #expect(try await store.attempts(runID: run.id).count == stepsPerRun)
                #expect(try await store.run(id: run.id)?.output == run.id)
            }
            #expect(try await store.countRuns(filter: RunFilter(statuses: [.succeeded])) == 60)
        }
    }

    @Test("committers whose guard fails get their own error and do not fail the others", arguments: StoreFactory.all)
    func failuresAreIsolated(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let version = try await store.version()
            var runs: [Run] = []
            for index in 0..<50 {
                runs.append(try await store.newRun(version, at: T.at(Double(index))))
            }
            _ = try await store.claimRuns(owner: "w", limit: 50, leaseDuration: .seconds(600), now: T.at(100))
            // Odd runs are committed by a worker that does not hold their lease.
            let outcomes = try await withThrowingTaskGroup(of: (Int, StoreError?).self) { group in
                for (index, run) in runs.enumerated() {
                    group.addTask {
                        let owner = index.isMultiple(of: 2) ? "w" : "impostor"
                        do {
                            try await store.commit(
                                [.stepFinished(runID: run.id, step: StepKey("a"), status: .succeeded, output: "ok"),
                                 .runFinished(runID: run.id, status: .succeeded)],
                                owner: owner, now: T.at(101))
                            return (index, nil)
                        } catch let error as StoreError {
                            return (index, error)
                        }
                    }
                }
                return try await group.reduce(into: [Int: StoreError?]()) { $0[$1.0] = $1.1 }
            }
            for (index, run) in runs.enumerated() {
                let outcome = try #require(outcomes[index])
                if index.isMultiple(of: 2) {
                    #expect(outcome == nil)
                    #expect(try await store.run(id: run.id)?.status == .succeeded)
                    #expect(try await store.steps(runID: run.id).count == 1)
                } else {
                    #expect(outcome == .leaseLost(runID: run.id))
                    #expect(try await store.run(id: run.id)?.status == .running)
                    #expect(try await store.steps(runID: run.id).isEmpty)
                }
            }
        }
    }
}

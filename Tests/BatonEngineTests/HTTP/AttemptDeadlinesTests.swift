import Foundation
import Testing
@testable import BatonEngine

/// The one watcher that bounds every HTTP attempt's total time.
struct AttemptDeadlinesTests {
    @Test("a deadline fires once it has passed; a cancelled one never fires; the watcher restarts after going idle")
    func firesAndCancels() async throws {
        let deadlines = AttemptDeadlines(resolution: .milliseconds(5))
        for round in 1...2 {
            let fired = OnceFlag(), cancelled = OnceFlag()
            let start = ContinuousClock.now
            _ = deadlines.watch(until: start + .milliseconds(30)) { fired.set() }
            let token = deadlines.watch(until: start + .milliseconds(30)) { cancelled.set() }
            deadlines.cancel(token)
            // Bounded: 10 s at most.
            for _ in 0..<1_000 where !fired.isSet {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(fired.isSet, "round \(round)")
            #expect(ContinuousClock.now - start >= .milliseconds(30))
            #expect(!cancelled.isSet, "round \(round)")
            // Long enough for the watcher to find nothing registered and stop.
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

import BatonEngine
import Foundation
import JSONata

/// Lets a request wait for a run this process executes: a sync webhook waits for the run to
/// end, or for a `respond` step to give its answer first.
actor RunWaiters {
    /// What a waiter learns.
    enum Signal: Sendable {
        /// A `respond` step succeeded with this output (`{status, headers, body}`).
        case responded(JSONValue)
        /// This process stopped executing the run (`succeeded`, `failed`, `waiting`, ...).
        case ended(String)
    }

    private var waiters: [String: [CheckedContinuation<Signal?, Never>]] = [:]
    private var early: [String: Signal] = [:]

    /// Waits for the next signal about `runID`, at most `timeout`; nil when none came.
    func wait(for runID: String, timeout: Duration) async -> Signal? {
        if let signal = early.removeValue(forKey: runID) { return signal }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.resume(runID, with: nil)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            waiters[runID, default: []].append(continuation)
        }
    }

    /// Tells the waiters of `runID`; a signal nobody waits for yet is kept briefly for the
    /// waiter about to arrive (the run may end before the request starts waiting).
    func signal(_ runID: String, _ signal: Signal) {
        if waiters[runID]?.isEmpty ?? true {
            early[runID] = signal
            if early.count > 10_000 { early.removeAll() }
            return
        }
        resume(runID, with: signal)
    }

    /// Forgets a kept signal once its request no longer waits.
    func forget(_ runID: String) { early[runID] = nil }

    private func resume(_ runID: String, with signal: Signal?) {
        guard let list = waiters.removeValue(forKey: runID) else { return }
        for continuation in list { continuation.resume(returning: signal) }
    }
}

import Synchronization

/// Bounds every HTTP attempt of the process with one watcher instead of a timer per attempt.
///
/// A sleeping task per attempt arms a Dispatch timer that stays armed until it is due, even
/// once the attempt ended and the sleep was cancelled: at thousands of attempts a second with
/// 30 s timeouts, tens of thousands of dead timers. Here an attempt registers its deadline
/// (two dictionary operations under a lock) and one task, running only while some attempt is
/// registered, fires the overdue ones every `resolution`.
final class AttemptDeadlines: Sendable {
    /// The watcher shared by the process's step clients.
    static let shared = AttemptDeadlines()

    /// How late, at most (plus scheduling), a deadline fires.
    let resolution: Duration

    private struct Entry: Sendable {
        let deadline: ContinuousClock.Instant
        let fire: @Sendable () -> Void
    }

    private struct State: Sendable {
        var entries: [UInt64: Entry] = [:]
        var nextToken: UInt64 = 0
        var isWatching = false
    }

    private let state = Mutex(State())

    init(resolution: Duration = .milliseconds(20)) {
        self.resolution = resolution
    }

    /// Calls `fire` once `deadline` has passed, unless ``cancel(_:)`` is called with the returned token first.
    func watch(until deadline: ContinuousClock.Instant, fire: @escaping @Sendable () -> Void) -> UInt64 {
        let (token, start) = state.withLock { state -> (UInt64, Bool) in
            state.nextToken += 1
            state.entries[state.nextToken] = Entry(deadline: deadline, fire: fire)
            let start = !state.isWatching
            state.isWatching = true
            return (state.nextToken, start)
        }
        if start {
            Task.detached { [self] in await self.watchLoop() }
        }
        return token
    }

    /// Forgets the deadline registered under `token`.
    func cancel(_ token: UInt64) {
        _ = state.withLock { $0.entries.removeValue(forKey: token) }
    }

    /// Fires overdue deadlines every `resolution`; ends when none is registered.
    private func watchLoop() async {
        while true {
            try? await Task.sleep(for: resolution)
            let now = ContinuousClock.now
            let (due, keepWatching) = state.withLock { state -> ([Entry], Bool) in
                var due: [Entry] = []
                for (token, entry) in state.entries where entry.deadline <= now {
                    due.append(entry)
                    state.entries[token] = nil
                }
                if state.entries.isEmpty { state.isWatching = false }
                return (due, !state.entries.isEmpty)
            }
            for entry in due { entry.fire() }
            if !keepWatching { return }
        }
    }
}

/// Set once, read from any thread.
final class OnceFlag: Sendable {
    private let value = Mutex(false)

    func set() { value.withLock { $0 = true } }

    var isSet: Bool { value.withLock { $0 } }
}

/// The deadlines one attempt registered, to forget them all when it ends.
final class WatchTokens: Sendable {
    private let tokens = Mutex<[UInt64]>([])

    func add(_ token: UInt64) { tokens.withLock { $0.append(token) } }

    func cancelAll(in deadlines: AttemptDeadlines) {
        for token in tokens.withLock({ $0 }) { deadlines.cancel(token) }
    }
}

import Synchronization

/// Holds requests back until the test opens it, to show what happens before an API answers.
final class Gate: Sendable {
    private let isOpen = Mutex(false)

    init() {}

    /// Lets every waiting and later request through.
    func open() { isOpen.withLock { $0 = true } }

    /// Waits until the gate is open, at most `seconds` (then goes on, so no test hangs).
    func pass(within seconds: Double = 20) async {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !isOpen.withLock({ $0 }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

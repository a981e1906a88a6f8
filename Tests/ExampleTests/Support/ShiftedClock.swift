import BatonEngine
import Foundation
import Synchronization

/// The real time plus an offset the test moves forward, so that a schedule slot, a
/// `wait: until` or a poll interval comes due at once; sleeps stay real (and short).
final class ShiftedClock: WallClock, Sendable {
    private let offset = Mutex<TimeInterval>(0)

    init() {}

    func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    /// Moves the clock forward.
    func advance(by seconds: TimeInterval) { offset.withLock { $0 += seconds } }

    /// Moves the clock forward to `date` (if it is later).
    func advance(to date: Date) {
        let gap = date.timeIntervalSince(now())
        if gap > 0 { advance(by: gap) }
    }

    func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

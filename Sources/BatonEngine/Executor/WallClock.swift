import Foundation

/// Where the executor gets the time from, so tests can drive it.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Sleeps for `duration` (cancellable).
    func sleep(for duration: Duration) async throws
}

/// The real clock.
public struct SystemWallClock: WallClock {
    /// Creates the system clock.
    public init() {}
    /// The current time.
    public func now() -> Date { Date() }
    /// Sleeps on the continuous clock.
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

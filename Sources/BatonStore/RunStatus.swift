/// Where a run is in its life: `queued` → `running` → (`waiting` ↔ `running`) → a terminal status.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Created and durable, not yet claimed by a worker.
    case queued
    /// Claimed by a worker that holds its lease.
    case running
    /// Parked on a durable timer; no worker holds it until the wake time.
    case waiting
    /// Finished and every required step succeeded.
    case succeeded
    /// Finished with an error.
    case failed
    /// Stopped by a user or by the executor before it finished.
    case cancelled

    /// Whether the run is finished for good (`succeeded`, `failed` or `cancelled`).
    public var isTerminal: Bool {
        switch self {
        case .queued, .running, .waiting: false
        case .succeeded, .failed, .cancelled: true
        }
    }

    /// The raw value, as stored and as shown to users.
    public var description: String { rawValue }
}

import BatonCore
import BatonEngine
import Foundation
import Logging
import ServiceLifecycle

/// `baton serve --retention 30d`: once at start and then once a day, deletes the runs that
/// finished longer ago than the retention and gives their space back (``RunOperations/prune(finishedBefore:batchSize:)``).
///
/// Several servers sharing one database may each prune: deleting is idempotent. A failed
/// prune is logged and tried again at the next round.
struct RetentionService: Service {
    let state: ServerState
    let retention: Duration
    /// How long between two prunes.
    var interval: Duration = .seconds(24 * 3600)
    /// How long after start the first prune runs, so that it does not slow the start down.
    var firstDelay: Duration = .seconds(5)

    func run() async throws {
        var delay = firstDelay
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { [delay] in try await Task.sleep(for: delay) }
            if Task.isShuttingDownGracefully || Task.isCancelled { break }
            await pruneOnce()
            delay = interval
        }
    }

    /// Prunes the runs older than the retention; returns how many were deleted (nil when it failed).
    @discardableResult
    func pruneOnce() async -> Int? {
        let cutoff = state.clock.now().addingTimeInterval(-retention.timeIntervalValue)
        do {
            let result = try await state.runOperations.prune(finishedBefore: cutoff)
            var metadata: Logger.Metadata = [
                "runs.deleted": "\(result.deleted)", "runs.cutoff": "\(ISO8601Time.format(cutoff))",
            ]
            if let before = result.space.bytesBefore, let after = result.space.bytesAfter {
                metadata["db.bytes_before"] = "\(before)"
                metadata["db.bytes_after"] = "\(after)"
            }
            state.logger.info("retention: pruned runs that finished more than \(Self.text(retention)) ago",
                              metadata: metadata)
            return result.deleted
        } catch {
            state.logger.error("retention: pruning failed, trying again in \(DurationText.format(interval)): \(error)")
            return nil
        }
    }
}

extension RetentionService: CustomStringConvertible {
    var description: String { "Retention(\(Self.text(retention)))" }

    /// `30d` rather than DurationText's `4w2d`: retentions are thought of in days.
    static func text(_ duration: Duration) -> String {
        let day: Int64 = 24 * 3600
        let seconds = duration.components.seconds
        if seconds >= day, seconds % day == 0, duration.components.attoseconds == 0 { return "\(seconds / day)d" }
        return DurationText.format(duration)
    }
}

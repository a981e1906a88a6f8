import Foundation
import Logging
import Synchronization

/// The server's log lines, kept in memory so that a failing test can show them.
final class LogLines: LogHandler, Sendable {
    private let lines = Mutex<[String]>([])
    private let state = Mutex<(Logger.Metadata, Logger.Level)>(([:], .info))

    var metadata: Logger.Metadata {
        get { state.withLock { $0.0 } }
        set { state.withLock { $0.0 = newValue } }
    }

    var logLevel: Logger.Level {
        get { state.withLock { $0.1 } }
        set { state.withLock { $0.1 = newValue } }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let extra = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lines.withLock { $0.append("\(event.level) \(event.message)\(extra.isEmpty ? "" : " " + extra)") }
    }

    /// Everything logged so far.
    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}

import Foundation
import Synchronization

/// The lines a child printed on stderr, read by a thread of its own.
final class ServeLog: Sendable {
    private struct State {
        var count = 0
        var tail: [String] = []
        var problems: [String] = []
        var url: URL?
        var partial = Data()
    }

    private let state = Mutex(State())
    static let kept = 40

    var listeningURL: URL? { state.withLock { $0.url } }
    var count: Int { state.withLock { $0.count } }
    var tail: [String] { state.withLock { $0.tail } }
    var problems: [String] { state.withLock { $0.problems } }

    /// Reads `handle` to its end on a new thread (the end comes when the child exits).
    func drain(_ handle: FileHandle) {
        let thread = Thread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                append(data)
            }
        }
        thread.name = "baton-serve-stderr"
        thread.start()
    }

    private func append(_ data: Data) {
        state.withLock { state in
            state.partial.append(data)
            while let newline = state.partial.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: state.partial[state.partial.startIndex..<newline], as: UTF8.self)
                state.partial.removeSubrange(state.partial.startIndex...newline)
                state.count += 1
                state.tail.append(line)
                if state.tail.count > Self.kept { state.tail.removeFirst(state.tail.count - Self.kept) }
                if state.url == nil, let range = line.range(of: "listening on http://") {
                    let text = line[range.lowerBound...].dropFirst("listening on ".count)
                    state.url = URL(string: String(text.prefix { !$0.isWhitespace }))
                }
                if Self.isProblem(line), state.problems.count < Self.kept { state.problems.append(line) }
            }
        }
    }

    /// Whether a StreamLogHandler line is at warning level or above.
    private static func isProblem(_ line: String) -> Bool {
        line.contains(" warning ") || line.contains(" error ") || line.contains(" critical ")
    }
}

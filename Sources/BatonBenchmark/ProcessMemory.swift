import Foundation
import Synchronization

/// The process's resident memory, from `/proc/self/status` (Linux).
enum ProcessMemory {
    /// Current resident set size in bytes (`VmRSS`).
    static var resident: Int { field("VmRSS") }
    /// Peak resident set size in bytes (`VmHWM`).
    static var peakResident: Int { field("VmHWM") }

    private static func field(_ name: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let kilobytes = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
            return (kilobytes ?? -1) * 1024
        }
        return -1
    }

    /// Bytes as MiB with one decimal.
    static func mib(_ bytes: Int) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}

/// Hands out 0, 1, 2, ... to concurrent callers.
final class Ticket: Sendable {
    private let counter = Atomic(0)

    func next() -> Int { counter.add(1, ordering: .relaxed).oldValue }
}

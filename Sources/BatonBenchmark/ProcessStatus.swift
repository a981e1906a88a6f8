import Foundation

/// Another process's memory and CPU time, from `/proc/PID` (Linux).
enum ProcessStatus {
    /// A `/proc/PID/status` field given in kB (`VmHWM`, `VmRSS`), in bytes; -1 when unreadable.
    static func field(_ name: String, pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return -1 }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let kilobytes = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
            return (kilobytes ?? -1) * 1024
        }
        return -1
    }

    /// User plus system CPU time of `pid` (all its threads) so far; zero when unreadable.
    static func cpuTime(pid: Int32) -> Duration {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return .zero }
        // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Int(fields[11]), let system = Int(fields[12]) else { return .zero }
        let ticks = max(1, sysconf(Int32(_SC_CLK_TCK)))
        return .milliseconds((user + system) * 1000 / ticks)
    }

    /// CPU time all processes of the machine used so far (every core's non-idle time), to show
    /// how much of the machine something other than the server and the client took.
    static var machineBusyTime: Duration {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return .zero }
        // user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait.
        let ticks = line.split(separator: " ").dropFirst().compactMap { Int($0) }
        guard ticks.count >= 5 else { return .zero }
        let busy = ticks.reduce(0, +) - ticks[3] - ticks[4]
        return .milliseconds(busy * 1000 / max(1, sysconf(Int32(_SC_CLK_TCK))))
    }

    /// This process's user plus system CPU time so far.
    static var ownCPUTime: Duration {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let micros = Int64(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000
            + Int64(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
        return .microseconds(micros)
    }
}

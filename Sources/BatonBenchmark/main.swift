import BatonStore
import Foundation

// baton-bench [executor|parked|all] [--runs N] [--concurrency N] [--parked N] [--warmup N] [--synchronous full|normal|off]
//
// `all` runs each scenario in a child process of its own, so that each one's RSS is its own.

var arguments = Array(CommandLine.arguments.dropFirst())
var scenario = "all"
var executor = ExecutorScenario()
var parked = ParkedScenario()
var passThrough: [String] = []

let usage = "usage: baton-bench [executor|parked|all] [--runs N] [--concurrency N] [--warmup N] [--parked N] [--synchronous full|normal|off]\n"

/// Prints a usage error and exits 2, Baton's exit code for a usage error.
func usageError(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n\(usage)".utf8))
    exit(2)
}

func value(after flag: String, in arguments: [String]) -> String {
    guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { usageError("\(flag) needs a value") }
    return arguments[index + 1]
}

func number(after flag: String, in arguments: [String]) -> Int {
    guard let number = Int(value(after: flag, in: arguments)), number > 0 else { usageError("\(flag) takes a positive whole number") }
    return number
}

var index = 0
while index < arguments.count {
    let argument = arguments[index]
    switch argument {
    case "executor", "parked", "all", "remote-only":
        scenario = argument
        index += 1
        continue
    case "--runs": executor.runs = number(after: argument, in: arguments)
    case "--warmup": executor.warmup = number(after: argument, in: arguments)
    case "--concurrency": executor.concurrency = number(after: argument, in: arguments)
    case "--parked": parked.runs = number(after: argument, in: arguments)
    case "--synchronous":
        guard let level = SQLiteRunStore.Synchronous(rawValue: value(after: argument, in: arguments).uppercased()) else {
            usageError("--synchronous takes full, normal, extra or off")
        }
        executor.synchronous = level
        parked.synchronous = level
    default:
        usageError("unknown argument '\(argument)'")
    }
    passThrough += [argument, arguments[index + 1]]
    index += 2
}

switch scenario {
case "executor":
    exit(try await executor.run() ? 0 : 1)
case "parked":
    exit(try await parked.run() ? 0 : 1)
case "remote-only":
    exit(try await RemoteOnlyScenario(runs: executor.runs, concurrency: executor.concurrency).run() ? 0 : 1)
default:
    var failed = false
    let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    for child in ["executor", "parked"] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [child] + passThrough
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 { failed = true }
        print("")
    }
    exit(failed ? 1 : 0)
}

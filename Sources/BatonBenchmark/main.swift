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

func value(after flag: String, in arguments: [String]) -> String {
    guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else {
        fatalError("\(flag) needs a value")
    }
    return arguments[index + 1]
}

var index = 0
while index < arguments.count {
    let argument = arguments[index]
    switch argument {
    case "executor", "parked", "all", "remote-only":
        scenario = argument
        index += 1
        continue
    case "--runs": executor.runs = Int(value(after: argument, in: arguments))!
    case "--warmup": executor.warmup = Int(value(after: argument, in: arguments))!
    case "--concurrency": executor.concurrency = Int(value(after: argument, in: arguments))!
    case "--parked": parked.runs = Int(value(after: argument, in: arguments))!
    case "--synchronous":
        guard let level = SQLiteRunStore.Synchronous(rawValue: value(after: argument, in: arguments).uppercased()) else {
            fatalError("--synchronous takes full, normal, extra or off")
        }
        executor.synchronous = level
        parked.synchronous = level
    default:
        FileHandle.standardError.write(Data("usage: baton-bench [executor|parked|all] [--runs N] [--concurrency N] [--warmup N] [--parked N] [--synchronous full|normal|off]\n".utf8))
        exit(2)
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

import BatonStore
import Foundation

// baton-bench [executor|parked|webhooks|schedules|all] [options]; see `usage`.
//
// `all` runs each scenario in a child process of its own, so that each one's RSS is its own.
// `webhooks` and `schedules` start the real `baton` binary (beside this one, or --baton PATH).

var arguments = Array(CommandLine.arguments.dropFirst())
// `audit` fills (or reads) a large database and measures the audit API; it has options of its own.
if arguments.first == "audit" {
    do {
        try await AuditScenario.run(arguments: Array(arguments.dropFirst()))
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        exit(1)
    }
}
var scenario = "all"
var executor = ExecutorScenario()
var parked = ParkedScenario()
var webhooks = WebhookScenario()
var schedules = ScheduleScenario()
var passThrough: [String] = []

let usage = """
    usage: baton-bench [executor|parked|webhooks|schedules|all] [--synchronous full|normal|extra|off]
      executor:  [--runs N] [--concurrency N] [--warmup N]
      parked:    [--parked N]
      webhooks:  [--connections N,N,...] [--requests N] [--warmup-requests N] [--rates N,...|none] [--unsigned-only] [--ceiling]
      schedules: [--schedules N] [--per-file N] [--seconds N] [--settle N]
      webhooks and schedules: [--baton PATH] [--server-concurrency N]

    """

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

func numbers(after flag: String, in arguments: [String]) -> [Int] {
    let text = value(after: flag, in: arguments)
    let list = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !list.isEmpty, list.allSatisfy({ ($0 ?? 0) > 0 }) else { usageError("\(flag) takes positive whole numbers separated by commas, not '\(text)'") }
    return list.map { $0! }
}

var index = 0
while index < arguments.count {
    let argument = arguments[index]
    switch argument {
    case "executor", "parked", "webhooks", "schedules", "all", "remote-only":
        scenario = argument
        index += 1
        continue
    case "--unsigned-only", "--ceiling":
        if argument == "--ceiling" { webhooks.ceiling = true } else { webhooks.signed = false }
        passThrough.append(argument)
        index += 1
        continue
    case "--runs": executor.runs = number(after: argument, in: arguments)
    case "--warmup": executor.warmup = number(after: argument, in: arguments)
    case "--concurrency": executor.concurrency = number(after: argument, in: arguments)
    case "--parked": parked.runs = number(after: argument, in: arguments)
    case "--connections": webhooks.connections = numbers(after: argument, in: arguments)
    case "--requests": webhooks.requests = number(after: argument, in: arguments)
    case "--warmup-requests": webhooks.warmup = number(after: argument, in: arguments)
    case "--rates":
        webhooks.rates = value(after: argument, in: arguments) == "none" ? [] : numbers(after: argument, in: arguments).map(Double.init)
    case "--schedules": schedules.schedules = number(after: argument, in: arguments)
    case "--per-file": schedules.perFile = number(after: argument, in: arguments)
    case "--seconds": schedules.seconds = number(after: argument, in: arguments)
    case "--settle": schedules.settle = number(after: argument, in: arguments)
    case "--baton":
        let path = value(after: argument, in: arguments)
        guard FileManager.default.isExecutableFile(atPath: path) else { usageError("--baton \(path) is not an executable file") }
        webhooks.baton = path
        schedules.baton = path
    case "--server-concurrency":
        webhooks.serverConcurrency = number(after: argument, in: arguments)
        schedules.serverConcurrency = webhooks.serverConcurrency
    case "--synchronous":
        guard let level = SQLiteRunStore.Synchronous(rawValue: value(after: argument, in: arguments).uppercased()) else {
            usageError("--synchronous takes full, normal, extra or off")
        }
        executor.synchronous = level
        parked.synchronous = level
        webhooks.synchronous = level
        schedules.synchronous = level
    default:
        usageError("unknown argument '\(argument)'")
    }
    passThrough += [argument, arguments[index + 1]]
    index += 2
}

/// Runs a scenario and exits: 0 when its checks held, 1 when not or when it could not run.
func finish(_ scenario: () async throws -> Bool) async -> Never {
    do {
        exit(try await scenario() ? 0 : 1)
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        exit(1)
    }
}

switch scenario {
case "executor":
    await finish { try await executor.run() }
case "parked":
    await finish { try await parked.run() }
case "webhooks":
    await finish { try await webhooks.run() }
case "schedules":
    await finish { try await schedules.run() }
case "remote-only":
    await finish { try await RemoteOnlyScenario(runs: executor.runs, concurrency: executor.concurrency).run() }
default:
    var failed = false
    let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var children = ["executor", "parked"]
    // The server scenarios need the baton binary, which `swift run baton-bench` does not build.
    do {
        _ = try ServeProcess.locateBaton(explicit: webhooks.baton)
        children += ["webhooks", "schedules"]
    } catch {
        print("webhooks and schedules skipped: \(error)\n")
    }
    for child in children {
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

import Foundation
import JSONata

// jsonata-bench [path-to-bench-cases.json] [--iterations N] [--case NAME]
// Checks each case's result against jsonata-js's, then times repeated evaluations.
// Debug helper: jsonata-bench --eval EXPR [JSON]

func findDefaultCases() -> String? {
    var dirs = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath), URL(fileURLWithPath: #filePath).deletingLastPathComponent()]
    var out: String?
    while out == nil, !dirs.isEmpty {
        var dir = dirs.removeFirst()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("shared/jsonata-bench/bench-cases.json")
            if FileManager.default.fileExists(atPath: candidate.path) { out = candidate.path; break }
            dir = dir.deletingLastPathComponent()
        }
    }
    return out
}

func sameJSON(_ a: JSONValue?, _ b: JSONValue?, skipping volatile: Set<String>) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case (.object(let x)?, .object(let y)?):
        let kx = x.keys.filter { !volatile.contains($0) }, ky = y.keys.filter { !volatile.contains($0) }
        guard Set(kx) == Set(ky) else { return false }
        return kx.allSatisfy { sameJSON(x[$0], y[$0], skipping: []) }
    case (.array(let x)?, .array(let y)?):
        return x.count == y.count && zip(x, y).allSatisfy { sameJSON($0, $1, skipping: []) }
    case (.number(let x)?, .number(let y)?):
        return x == y || abs(x - y) <= 1e-9 * max(abs(x), abs(y))
    case (let x?, let y?): return x == y
    default: return false
    }
}

let argv = CommandLine.arguments
if argv.count >= 3 && argv[1] == "--eval" {
    do {
        let e = try JSONata.Expression(argv[2])
        let input = argv.count > 3 ? try JSONValue(parsing: argv[3]) : nil
        let r = try e.evaluate(input)
        print(r.map { $0.serialized() } ?? "undefined")
    } catch {
        print("error: \(error)")
    }
    exit(0)
}

// Differential testing against another implementation: one JSON object {"expr", "data"} per
// stdin line; prints one line each: {"result": ...}, {"undefined": true} or {"error": "CODE"}.
if argv.count >= 2 && argv[1] == "--batch" {
    while let line = readLine() {
        guard let request = try? JSONValue(parsing: line), let source = request["expr"]?.stringValue else {
            print(#"{"error":"bad request line"}"#)
            continue
        }
        let data = request["data"].flatMap { $0 == .null ? nil : $0 }
        do {
            let result = try JSONata.Expression(source).evaluate(data, limits: EvaluationLimits(maxDepth: 500, timeout: .seconds(2)))
            if let result {
                print(JSONValue.object(["result": result]).serialized())
            } else {
                print(#"{"undefined":true}"#)
            }
        } catch let error as JSONataError {
            print(JSONValue.object(["error": .string(error.code)]).serialized())
        } catch {
            print(JSONValue.object(["error": .string("\(error)")]).serialized())
        }
        // A line per answer as it comes, so that an expression that crashes the process is the next one.
        fflush(nil)
    }
    exit(0)
}

var path: String?
var iterationsOverride: Int?
var onlyCase: String?
var i = 1
while i < argv.count {
    switch argv[i] {
    case "--iterations": i += 1; iterationsOverride = Int(argv[i])
    case "--case": i += 1; onlyCase = argv[i]
    default: path = argv[i]
    }
    i += 1
}
guard let casesPath = path ?? findDefaultCases() else {
    FileHandle.standardError.write("bench-cases.json not found; pass its path\n".data(using: .utf8)!)
    exit(2)
}
let spec: JSONValue
do {
    spec = try JSONValue(parsing: try Data(contentsOf: URL(fileURLWithPath: casesPath)))
} catch {
    FileHandle.standardError.write("cannot read \(casesPath): \(error)\n".data(using: .utf8)!)
    exit(2)
}
let iterations = iterationsOverride ?? Int(spec["iterations"]?.numberValue ?? 20000)
let payload = spec["payload"]
guard case .array(let cases)? = spec["cases"] else { exit(2) }
var failed = false
var rates: [Double] = []
var cpuRates: [Double] = []

/// CPU time of this thread, to see through a busy machine.
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
print("case                      evals/s     µs/eval  evals/cpu-s")
for c in cases {
    let name = c["name"]?.stringValue ?? "?"
    if let onlyCase, onlyCase != name { continue }
    let source = c["expr"]?.stringValue ?? ""
    var volatile = Set<String>()
    if case .array(let keys)? = c["volatileKeys"] { for k in keys { if let s = k.stringValue { volatile.insert(s) } } }
    do {
        let expr = try JSONata.Expression(source)
        let result = try expr.evaluate(payload)
        guard sameJSON(result, c["expected"], skipping: volatile) else {
            print("\(name): WRONG RESULT\n  expected: \(c["expected"]?.serialized() ?? "undefined")\n  got:      \(result?.serialized() ?? "undefined")")
            failed = true
            continue
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = threadCPUSeconds()
        for _ in 0..<iterations { _ = try expr.evaluate(payload) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = threadCPUSeconds() - cpuStart
        let rate = Double(iterations) / seconds
        rates.append(rate)
        cpuRates.append(Double(iterations) / cpu)
        print(name.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "%10.0f  %10.2f  %10.0f", rate, 1e6 / rate, Double(iterations) / cpu))
    } catch {
        print("\(name): ERROR \(error)")
        failed = true
    }
}
if !rates.isEmpty {
    let geo = exp(rates.map { log($0) }.reduce(0, +) / Double(rates.count))
    let cpuGeo = exp(cpuRates.map { log($0) }.reduce(0, +) / Double(cpuRates.count))
    print(String(format: "geometric mean            %10.0f evals/s  (%0.f per CPU-second)", geo, cpuGeo))
}
exit(failed ? 1 : 0)

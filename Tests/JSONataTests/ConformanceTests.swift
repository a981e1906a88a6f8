import Foundation
import Testing

@testable import JSONata

/// Runs every case of the reference JSONata test suite (shared/jsonata-test-suite).
struct ConformanceTests {
    struct Case {
        let id: String
        let body: JSONValue
        let directory: URL
    }

    /// Finds `shared/jsonata-test-suite` by walking up from this file.
    static func suiteDirectory() -> URL? {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("shared/jsonata-test-suite")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("groups").path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    static func loadCases(_ suite: URL) throws -> [Case] {
        let groupsDir = suite.appendingPathComponent("groups")
        var cases: [Case] = []
        let groups = try FileManager.default.contentsOfDirectory(atPath: groupsDir.path).sorted()
        for group in groups {
            let gdir = groupsDir.appendingPathComponent(group)
            let files = try FileManager.default.contentsOfDirectory(atPath: gdir.path).filter { $0.hasSuffix(".json") }.sorted()
            for file in files {
                let data = try Data(contentsOf: gdir.appendingPathComponent(file))
                let json = try JSONValue(parsing: data)
                let stem = String(file.dropLast(5))
                if case .array(let items) = json {
                    for (i, item) in items.enumerated() {
                        cases.append(Case(id: "\(group)/\(stem)#\(i)", body: item, directory: gdir))
                    }
                } else {
                    cases.append(Case(id: "\(group)/\(stem)", body: json, directory: gdir))
                }
            }
        }
        return cases
    }

    /// Compares results as JSON values; `unordered` compares arrays as multisets.
    static func same(_ a: JSONValue?, _ b: JSONValue?, unordered: Bool = false) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let x?, let y?):
            if unordered, case .array(let xs) = x, case .array(let ys) = y {
                let sx = xs.map { $0.serialized() }.sorted()
                let sy = ys.map { $0.serialized() }.sorted()
                return sx == sy
            }
            return jsonEquals(x, y)
        default: return false
        }
    }

    /// Runs one case; returns nil on success or a reason on failure.
    static func run(_ c: Case, suite: URL, datasets: inout [String: JSONValue]) -> String? {
        let body = c.body
        var source = body["expr"]?.stringValue
        if source == nil, let file = body["expr-file"]?.stringValue {
            source = try? String(contentsOf: c.directory.appendingPathComponent(file), encoding: .utf8)
        }
        guard let source else { return "no expression" }
        var input: JSONValue? = nil
        if let d = body["data"] {
            input = d
        } else if let name = body["dataset"]?.stringValue {
            if let cached = datasets[name] {
                input = cached
            } else if let d = try? Data(contentsOf: suite.appendingPathComponent("datasets/\(name).json")),
                let j = try? JSONValue(parsing: d)
            {
                datasets[name] = j
                input = j
            }
        }
        var bindings: [String: JSONValue] = [:]
        if case .object(let b)? = body["bindings"] { for (k, v) in b { bindings[k] = v } }
        var limits = EvaluationLimits(maxDepth: 10_000, timeout: .seconds(10))
        if let depth = body["depth"]?.numberValue { limits.maxDepth = Int(depth) }
        if let t = body["timelimit"]?.numberValue { limits.timeout = .milliseconds(Int(t)) }
        let expectedCode = body["code"]?.stringValue ?? body["error"]?["code"]?.stringValue
        let expectedToken = body["token"]?.stringValue ?? body["error"]?["token"]?.stringValue
        do {
            let expr = try JSONata.Expression(source)
            let result = try expr.evaluate(input, bindings: bindings, limits: limits)
            if let expectedCode { return "expected error \(expectedCode), got \(result.map { $0.serialized() } ?? "undefined")" }
            if body["undefinedResult"] != nil {
                return result == nil ? nil : "expected undefined, got \(result!.serialized())"
            }
            if let expected = body["result"] {
                let unordered = body["unordered"]?.boolValue ?? false
                if same(result, expected, unordered: unordered) { return nil }
                return "expected \(expected.serialized()), got \(result.map { $0.serialized() } ?? "undefined")"
            }
            return result == nil ? nil : "expected undefined (no result given), got \(result!.serialized())"
        } catch let e as JSONataError {
            guard let expectedCode else { return "unexpected error \(e.code): \(e.message)" }
            if e.code != expectedCode { return "expected error \(expectedCode), got \(e.code): \(e.message)" }
            if let expectedToken, e.token != expectedToken { return "expected token \(expectedToken), got \(e.token ?? "nil")" }
            return nil
        } catch {
            return "unexpected error \(error)"
        }
    }

    static func knownFailures(_ url: URL) -> [String: String] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let l = line.trimmingCharacters(in: .whitespaces)
            if l.isEmpty || l.hasPrefix("#") { continue }
            if let colon = l.firstIndex(of: ":") {
                out[String(l[..<colon])] = String(l[l.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            } else {
                out[l] = ""
            }
        }
        return out
    }

    @Test func referenceSuite() throws {
        let suite = try #require(Self.suiteDirectory(), "shared/jsonata-test-suite not found above \(#filePath)")
        let cases = try Self.loadCases(suite)
        let knownURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("known-failures.txt")
        let known = Self.knownFailures(knownURL)
        var datasets: [String: JSONValue] = [:]
        var failures: [(String, String)] = []
        var passed = 0
        let trace = ProcessInfo.processInfo.environment["JSONATA_TRACE"] != nil
        for c in cases {
            if trace { FileHandle.standardError.write((c.id + "\n").data(using: .utf8)!) }
            if let reason = Self.run(c, suite: suite, datasets: &datasets) {
                failures.append((c.id, reason))
            } else {
                passed += 1
            }
        }
        let report = failures.map { "\($0.0): \($0.1)" }.joined(separator: "\n")
        if let path = ProcessInfo.processInfo.environment["JSONATA_FAILURES_OUT"] {
            try? (report + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        print("JSONata conformance: \(passed)/\(cases.count) passed")
        let failed = Set(failures.map(\.0))
        for (id, reason) in failures where known[id] == nil {
            Issue.record("\(id) fails: \(reason)")
        }
        for id in known.keys where !failed.contains(id) {
            Issue.record("\(id) is listed in known-failures.txt but now passes (or no longer exists); remove it")
        }
    }
}

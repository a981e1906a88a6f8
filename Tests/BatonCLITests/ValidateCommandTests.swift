import Foundation
import Testing

/// `baton validate`, run as the real binary.
struct ValidateCommandTests {
    @Test func validWorkflowsFolder() async throws {
        let output = try await BatonProcess.runAsync(["validate", "Workflows"])
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.hasSuffix("valid, 0 with errors\n"))
        #expect(output.stderr == "")
    }

    @Test func reportsEveryProblemWithLocationAndExits1() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            name: post
            steps:
              - id: publish
                http:
                  url: https://api.example.com/posts
                retries: 3
              - id: announce
                needs: [publsh]
                transform: ${{ steps.publish.output.body }}
            """.write(to: directory.appendingPathComponent("post.yaml"), atomically: true, encoding: .utf8)
        let output = try await BatonProcess.runAsync(["validate", "post.yaml"], in: directory)
        #expect(output.status == 1)
        #expect(output.stdout == """
            post.yaml:6:5: error: unknown key 'retries' in step 'publish'; did you mean 'retry'?
            post.yaml:8:13: error: step 'announce' needs unknown step 'publsh'; did you mean 'publish'?
            post.yaml:9:20: error: step 'announce' uses steps.publish, which does not run before it; add 'publish' to its needs
            1 file checked: 0 valid, 1 with errors (3 errors, 0 warnings)

            """)
    }

    @Test func jsonOutput() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "steps:\n  - id: a\n    timeout: 5\n    transform: 1\n"
            .write(to: directory.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        let output = try await BatonProcess.runAsync(["validate", "--json", "a.yaml"], in: directory)
        #expect(output.status == 1)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        #expect(array.count == 1)
        #expect(array.first?["file"] as? String == "a.yaml")
        #expect(array.first?["line"] as? Int == 3)
        #expect(array.first?["column"] as? Int == 14)
        #expect(array.first?["severity"] as? String == "error")
        #expect(array.first?["message"] as? String == "timeout '5' has no unit; write e.g. 5s for seconds or 5ms for milliseconds")
    }

    @Test func badInputGetsOneLineAndExit1() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fm = FileManager.default
        _ = fm.createFile(atPath: directory.appendingPathComponent("big.yaml").path,
                      contents: Data(repeating: UInt8(ascii: "#"), count: 10 * 1_048_576))
        _ = fm.createFile(atPath: directory.appendingPathComponent("image.yaml").path, contents: Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x1A]))
        _ = fm.createFile(atPath: directory.appendingPathComponent("deep.yaml").path,
                      contents: Data(("steps: " + String(repeating: "[", count: 200_000)).utf8))
        _ = fm.createFile(atPath: directory.appendingPathComponent("syntax.yaml").path, contents: Data("steps:\n  - id: [a\n".utf8))
        try fm.createDirectory(at: directory.appendingPathComponent("empty"), withIntermediateDirectories: true)

        let cases: [(String, String)] = [
            ("missing.yaml", "missing.yaml: error: no such file or directory; check the path"),
            ("big.yaml", "big.yaml: error: file is 10.0 MiB; a workflow file may be at most 1 MiB, so split it or move data out of it"),
            ("image.yaml", "image.yaml:1:5: error: this is a binary file (it holds a NUL byte), not a YAML or JSON workflow"),
            ("deep.yaml", "deep.yaml:1:72: error: values are nested more than 64 levels deep; flatten the structure"),
            ("empty", "empty: error: no workflow files (.yaml, .yml or .json) in this directory"),
        ]
        for (argument, line) in cases {
            let output = try await BatonProcess.runAsync(["validate", argument], in: directory)
            #expect(output.status == 1, "\(argument)")
            #expect(output.stdout.split(separator: "\n").first.map(String.init) == line)
            #expect(output.stderr == "", "\(argument): \(output.stderr)")
        }
        let syntax = try await BatonProcess.runAsync(["validate", "syntax.yaml"], in: directory)
        #expect(syntax.status == 1)
        #expect(syntax.stdout.hasPrefix("syntax.yaml:3:1: error: invalid YAML: "))
    }

    @Test func usageErrorExits2() async throws {
        let output = try await BatonProcess.runAsync(["validate"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("Missing expected argument '<paths> ...'"))
        let unknown = try await BatonProcess.runAsync(["validate", "--frobnicate", "x.yaml"])
        #expect(unknown.status == 2)
    }
}

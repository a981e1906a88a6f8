import Foundation
import Testing

/// `baton schema` prints a JSON Schema that accepts every workflow the validator accepts.
struct SchemaCommandTests {
    static let validFixtures = BatonProcess.repositoryRoot.appendingPathComponent("Tests/BatonCoreTests/Fixtures/valid")

    @Test func printsADraft2020Schema() async throws {
        let output = try await BatonProcess.runAsync(["schema"])
        #expect(output.status == 0)
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect((schema["required"] as? [String]) == ["steps"])
    }

    /// Runs Python's reference `jsonschema` validator (installed by .ci/run) over every file the
    /// validator accepts: the fixtures, Workflows/ and Examples/.
    @Test func everyAcceptedWorkflowValidatesAgainstTheSchema() async throws {
        let directory = try BatonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let schemaPath = directory.appendingPathComponent("schema.json")
        try await BatonProcess.runAsync(["schema"]).stdout.write(to: schemaPath, atomically: true, encoding: .utf8)

        let root = BatonProcess.repositoryRoot
        var files = try FileManager.default.contentsOfDirectory(atPath: Self.validFixtures.path)
            .map { Self.validFixtures.appendingPathComponent($0).path }
        for folder in ["Workflows", "Examples"] {
            let url = root.appendingPathComponent(folder)
            if let enumerator = FileManager.default.enumerator(atPath: url.path) {
                while let relative = enumerator.nextObject() as? String {
                    if ["yaml", "yml"].contains((relative as NSString).pathExtension) {
                        files.append(url.appendingPathComponent(relative).path)
                    }
                }
            }
        }
        // Only files the validator accepts count; confirm that first with the real binary.
        let validate = try await BatonProcess.runAsync(["validate"] + files)
        #expect(validate.status == 0, "\(validate.stdout)")

        let script = """
            import json, sys, yaml, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema)
            failed = 0
            for path in sys.argv[2:]:
                with open(path) as f:
                    document = yaml.safe_load(f) if not path.endswith(".json") else json.load(f)
                for error in validator.iter_errors(document):
                    failed += 1
                    print(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
            print(f"checked {len(sys.argv) - 2}")
            sys.exit(1 if failed else 0)
            """
        let arguments = ["python3", "-c", script, schemaPath.path] + files
        // Off the cooperative pool: waiting for python blocks a thread.
        let (status, text) = try await BatonProcess.offPool { () throws -> (Int32, String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        #expect(status == 0, "\(text)")
        #expect(text.hasSuffix("checked \(files.count)\n"), "\(text)")
    }
}

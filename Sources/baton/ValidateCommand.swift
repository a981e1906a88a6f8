import ArgumentParser
import BatonCore
import Foundation
import JSONata

/// `baton validate FILE|DIR...`: checks workflow files and prints every problem with its location.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check workflow files and report every problem as file:line:column.",
        discussion: "Directories are searched for .yaml, .yml and .json files. Exits 1 if any file has an error."
    )

    @Argument(help: "Workflow files or directories.")
    var paths: [String]

    @Flag(help: "Print the diagnostics as a JSON array of {file, line, column, severity, message}.")
    var json = false

    func run() throws {
        var results: [WorkflowLoader.Result] = []
        var extra: [Diagnostic] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                let files = Self.workflowFiles(under: path)
                if files.isEmpty {
                    extra.append(.error("no workflow files (.yaml, .yml or .json) in this directory",
                                        at: .wholeFile(path)))
                }
                results += files.map { WorkflowLoader.load(file: $0) }
            } else {
                results.append(WorkflowLoader.load(file: path))
            }
        }
        let diagnostics = extra + results.flatMap(\.diagnostics)
        let failed = results.filter(\.hasErrors).count + extra.count
        if json {
            let array = JSONValue.array(diagnostics.map { diagnostic in
                [
                    "file": .string(diagnostic.location.file),
                    "line": .number(Double(diagnostic.location.line)),
                    "column": .number(Double(diagnostic.location.column)),
                    "severity": .string(diagnostic.severity.rawValue),
                    "message": .string(diagnostic.message),
                ]
            })
            print(array.serialized(pretty: true))
        } else {
            for diagnostic in diagnostics { print(diagnostic.description) }
            for result in results where !result.hasErrors {
                if let workflow = result.workflow {
                    print("\(result.file): ok: workflow '\(workflow.name)', \(Self.count(workflow.triggers.count, "trigger")), "
                          + "\(Self.count(workflow.steps.count, "step"))")
                }
            }
            print(Self.summary(results: results, extra: extra))
        }
        if failed > 0 { throw ExitCode(1) }
    }

    /// Workflow files below `directory`, skipping hidden folders and build output, sorted.
    static func workflowFiles(under directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") || name == "node_modules" {
                enumerator.skipDescendants()
                continue
            }
            if WorkflowLoader.extensions.contains((name as NSString).pathExtension.lowercased()) {
                let full = (directory as NSString).appendingPathComponent(relative)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                    files.append(full)
                }
            }
        }
        return files.sorted()
    }

    static func summary(results: [WorkflowLoader.Result], extra: [Diagnostic]) -> String {
        let all = extra + results.flatMap(\.diagnostics)
        let errors = all.filter { $0.severity == .error }.count
        let warnings = all.count - errors
        let invalid = results.filter(\.hasErrors).count
        var text = "\(count(results.count, "file")) checked: \(results.count - invalid) valid, \(invalid) with errors"
        if errors + warnings > 0 {
            text += " (\(count(errors, "error")), \(count(warnings, "warning")))"
        }
        return text
    }

    static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}

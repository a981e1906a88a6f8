import ArgumentParser
import Foundation
import JSONata

/// `baton eval EXPRESSION`: evaluates a JSONata expression, the way a workflow's `${{ }}` would.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a JSONata expression and print the result as JSON.",
        discussion: "Prints nothing when the result is undefined. An error prints 'error: CODE at position N: message' and exits 1."
    )

    @Argument(help: "The JSONata expression.")
    var expression: String

    @Option(help: "The input document: JSON text, or @FILE to read it from a file ('@-' for standard input).")
    var data: String?

    func run() throws {
        var input: JSONValue? = nil
        if let data {
            let text: String
            if data.hasPrefix("@") {
                let path = String(data.dropFirst())
                let contents = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path)
                guard let contents, let decoded = String(data: contents, encoding: .utf8) else {
                    printError("error: cannot read --data file '\(path)'; check the path")
                    throw ExitCode(2)
                }
                text = decoded
            } else {
                text = data
            }
            do {
                input = try JSONValue(parsing: text)
            } catch {
                printError("error: --data is not valid JSON: \(error)")
                throw ExitCode(2)
            }
        }
        do {
            let compiled = try JSONata.Expression(expression)
            if let result = try compiled.evaluate(input) {
                print(result.serialized())
            }
        } catch let error as JSONataError {
            printError("error: \(error.code) at position \(error.position): \(error.message)")
            throw ExitCode(1)
        }
    }
}

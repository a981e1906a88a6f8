import ArgumentParser
import AsyncHTTPClient
import BatonCore
import BatonEngine
import BatonStore
import Foundation
import JSONata

/// `baton run FILE|NAME`: runs one workflow in the foreground and stores the run like any other.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workflow in the foreground, showing each step as it finishes.",
        discussion: """
            The run is stored in the database like any other. Prints the run's output (with --json, the \
            whole run record). Exits 0 when the run succeeded, 1 when it failed.
            """
    )

    @Argument(help: "A workflow file, or the name of a workflow in --workflows.")
    var workflow: String

    @Option(help: "The run's inputs: a JSON object, or @FILE to read it from a file.")
    var input: String?

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Where workflows named by name (and sub-workflows) are found.")
    var workflows = "Workflows"

    @Flag(help: "Print the whole run record as JSON.")
    var json = false

    @Flag(help: "Store the run and exit at once, printing its id; 'baton worker' (or 'baton serve') runs it.")
    var detach = false

    @Option(help: "Start the run on a running 'baton serve' at this URL instead (NAME is a workflow it serves; the token comes from BATON_API_TOKEN).")
    var server: String?

    func run() async throws {
        if let server {
            try await RemoteRun(server: server, workflow: workflow, input: try readInput(), json: json, detach: detach).run()
            return
        }
        let path = try resolvePath()
        let loaded = WorkflowLoader.load(file: path)
        guard let workflow = loaded.workflow else {
            for diagnostic in loaded.diagnostics { printError(diagnostic.description) }
            throw ExitCode(1)
        }
        for warning in loaded.diagnostics { printError(warning.description) }
        let inputs = try parseInputs(for: workflow)

        let store = try database.openStore()
        // The process-wide client: its connection pool lives as long as the process.
        let http = HTTPClient.shared

        let directories = [(path as NSString).deletingLastPathComponent, workflows]
        let showProgress = !json
        let runBox = RunIDBox()
        let connections = database.connectionTokens(store, owner: "baton-run-\(ProcessInfo.processInfo.processIdentifier)")
        var dependencies = ExecutorDependencies(
            store: store, remote: HTTPStepCalls(client: StepHTTPClient(client: http), connections: connections),
            environment: try await database.runEnvironment(store),
            owner: "baton-run-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))",
            observer: { report in
                guard showProgress, report.runID == runBox.id else { return }
                printError(Self.progressLine(report))
            },
            resolveWorkflow: { name in Self.findWorkflow(named: name, in: directories) }
        )
        dependencies.connections = connections
        let version = try await dependencies.catalog.save(workflow, now: Date())
        let new = NewRun(workflowVersionID: version, triggerKind: .manual, triggerPayload: "{}", inputs: inputs.serialized())
        // A detached run waits for a worker; a foreground one is created already claimed by ours.
        let created = detach
            ? try await store.createRun(new, now: Date())
            : try await store.createClaimedRun(new, owner: dependencies.owner, leaseDuration: dependencies.leaseDuration,
                                               startingSteps: workflow.firstSteps, now: Date())
        let runID = created.run.id
        runBox.id = runID
        if detach {
            print(runID)
            return
        }
        if !json { printError("run \(runID) of workflow '\(workflow.name)' started") }

        let worker = Worker(dependencies: dependencies)
        if case .created = created {
            await worker.adopt(created.run, startedSteps: workflow.firstSteps)
        } else {
            await worker.adopt(created.run)
        }
        try await worker.run {
            guard let current = try await store.run(id: runID) else { return true }
            return current.status.isTerminal
        }
        guard let finished = try await store.run(id: runID) else {
            printError("error: run \(runID) disappeared from the database")
            throw ExitCode(1)
        }
        if json {
            let record = RunRecord.json(run: finished, steps: try await store.steps(runID: runID),
                                        attempts: try await store.attempts(runID: runID))
            print(record.serialized(pretty: true))
        } else {
            // A failed run's stored output is the last step that got that far; printing it as
            // the result would hand a partial value to a script that reads standard output.
            if finished.status == .succeeded, let output = finished.output { print(output) }
            let error = finished.error.flatMap { try? JSONValue(parsing: $0) }
            let message = error?["message"]?.stringValue.map { ": \($0)" } ?? ""
            printError("run \(runID) \(finished.status.rawValue)\(finished.status == .succeeded ? "" : message)")
        }
        if finished.status != .succeeded { throw ExitCode(1) }
    }

    /// A path as given, or `NAME.yaml` / `.yml` / `.json` in the workflows folder.
    private func resolvePath() throws -> String {
        if FileManager.default.fileExists(atPath: workflow) { return workflow }
        if let found = Self.findFile(named: workflow, in: [workflows]) { return found }
        printError("error: no workflow file '\(workflow)', and no workflow named '\(workflow)' in \(workflows)/")
        throw ExitCode(1)
    }

    /// The `--input` value parsed as JSON (read from a file with `@FILE`), or nil.
    private func readInput() throws -> JSONValue? {
        guard let input else { return nil }
        var text = input
        if input.hasPrefix("@") {
            let file = String(input.dropFirst())
            guard let data = FileManager.default.contents(atPath: file), let decoded = String(data: data, encoding: .utf8) else {
                printError("error: cannot read --input file '\(file)'")
                throw ExitCode(2)
            }
            text = decoded
        }
        do {
            return try JSONValue(parsing: text)
        } catch {
            printError("error: --input is not valid JSON: \(error)")
            throw ExitCode(2)
        }
    }

    private func parseInputs(for workflow: Workflow) throws -> JSONValue {
        let given = try readInput()
        do {
            return try RunInputs.resolve(given, for: workflow)
        } catch {
            for message in error.messages { printError("error: \(message)") }
            throw ExitCode(2)
        }
    }

    static func findFile(named name: String, in directories: [String]) -> String? {
        for directory in directories {
            for ext in ["yaml", "yml", "json"] {
                let candidate = (directory as NSString).appendingPathComponent("\(name).\(ext)")
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    static func findWorkflow(named name: String, in directories: [String]) -> Workflow? {
        guard let path = findFile(named: name, in: directories) else { return nil }
        return WorkflowLoader.load(file: path).workflow
    }

    static func progressLine(_ report: StepReport) -> String {
        let symbol: String
        switch report.status {
        case "succeeded": symbol = "✓"
        case "failed": symbol = "✗"
        case "skipped": symbol = "-"
        case "waiting": symbol = "…"
        default: symbol = "!"
        }
        let milliseconds = Double(report.duration.components.seconds) * 1000 + Double(report.duration.components.attoseconds) / 1e15
        var line = "  \(symbol) \(report.stepID)  \(report.status)  \(Int(milliseconds.rounded()))ms"
        if report.attempts > 1 { line += "  \(report.attempts) attempts" }
        if let error = report.error { line += "\n      \(error)" }
        return line
    }
}

/// The id of the run `baton run` started, read by the progress observer.
final class RunIDBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    var id: String? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

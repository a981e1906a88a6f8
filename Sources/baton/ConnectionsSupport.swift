import BatonCore
import BatonEngine
import BatonStore
import Foundation
import JSONata

extension DatabaseOptions {
    /// The keeper of this database's signed-in connections' tokens, sealed with the key of its
    /// secrets (`BATON_SECRET_KEY`, or `FILE.key`, created when a token set is first stored).
    func connectionTokens(_ store: SQLiteRunStore, owner: String) -> ConnectionTokens {
        let path = db
        let environment = ProcessInfo.processInfo.environment
        return ConnectionTokens(store: store, vault: {
            guard let vault = try SecretVault.forDatabase(path, environment: environment, create: true) else {
                throw SecretError("no key for \(path); set BATON_SECRET_KEY")
            }
            return vault
        }, owner: owner)
    }
}

/// The workflows that declare connections, read for `baton connect` and `baton connections`.
struct ConnectionDefinitions {
    /// Each valid workflow and its file.
    var workflows: [(workflow: Workflow, file: String)] = []
    /// Files that could not be read, with why.
    var invalidFiles: [String] = []

    /// Reads every workflow below `directory` (when it exists) and each of `files`.
    static func load(directory: String, files: [String]) -> ConnectionDefinitions {
        var definitions = ConnectionDefinitions()
        var paths = files
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue {
            paths += ValidateCommand.workflowFiles(under: directory)
        }
        for path in paths {
            let loaded = WorkflowLoader.load(file: path)
            if let workflow = loaded.workflow {
                definitions.workflows.append((workflow, path))
            } else {
                definitions.invalidFiles.append(path)
            }
        }
        return definitions
    }

    /// The first declaration of connection `name`, in file order.
    func find(_ name: String) -> (connection: Connection, workflow: Workflow, file: String)? {
        for (workflow, file) in workflows {
            if let connection = workflow.connection(name) { return (connection, workflow, file) }
        }
        return nil
    }

    /// The names of the connections that keep signed-in tokens.
    var signInNames: [String] {
        Array(Set(workflows.flatMap { $0.workflow.connections.filter(\.keepsTokens).map(\.name) })).sorted()
    }

    /// What a connection's expressions see: `env` (the process's, then the workflow's) and `secrets`.
    static func context(for workflow: Workflow, environment: RunEnvironment) throws -> JSONValue {
        let applied = try environment.applying(workflow.env)
        return .object(["env": .object(applied.env), "secrets": .object(applied.secrets)])
    }
}

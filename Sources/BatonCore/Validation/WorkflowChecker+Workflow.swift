import Foundation
import JSONata

extension WorkflowChecker {
    static let topLevelKeys = ["name", "description", "inputs", "env", "connections", "triggers", "concurrency",
                               "overlap", "timeout", "steps", "on_failure"]

    /// Checks the whole file; returns the workflow when there is no error.
    func check(_ root: SourceNode) -> Workflow? {
        guard let top = fields(root, of: "the workflow file", allowed: Self.topLevelKeys) else { return nil }

        let name = workflowName(top)
        let description = top["description"].flatMap { string($0, "description") }
        let inputs = top["inputs"].map(readInputs) ?? []
        let env = top["env"].map(readEnv) ?? []
        let connections = top["connections"].map(readConnections) ?? []
        let concurrency = top["concurrency"].flatMap { int($0, "concurrency", in: 1...10_000) }
        let overlap = top["overlap"].flatMap { choice($0, "overlap", as: OverlapPolicy.self) } ?? .allow
        let timeout = top["timeout"].flatMap { duration($0, "timeout") }
        let triggers = top["triggers"].map { readTriggers($0, inputs: inputs, connections: connections) } ?? []

        var steps: [Step] = []
        if top["steps"] == nil {
            error("the workflow has no 'steps'; add 'steps:' with at least one step", at: root.location)
        }
        if let stepsNode = top["steps"] {
            steps = readSteps(stepsNode, onFailure: false, connections: connections)
            if stepsNode.items?.isEmpty == true {
                error("'steps' is empty; a workflow needs at least one step", at: stepsNode.location)
            }
        }
        let onFailure = top["on_failure"].map { readSteps($0, onFailure: true, connections: connections) } ?? []

        checkStepGraph(main: steps, onFailure: onFailure)
        checkExpressionReferences(main: steps, onFailure: onFailure, inputs: inputs)

        if hasErrors { return nil }
        return Workflow(name: name ?? "", description: description, file: file, sourceText: sourceText,
                        inputs: inputs, env: env, connections: connections, triggers: triggers,
                        concurrency: concurrency, overlap: overlap, timeout: timeout, steps: steps, onFailure: onFailure)
    }

    /// The `name:`, or the file name without its extension.
    private func workflowName(_ top: Fields) -> String? {
        if let node = top["name"] {
            guard let name = nonEmptyString(node, "name") else { return nil }
            guard Self.isWorkflowName(name) else {
                error("workflow name '\(name)' may hold only letters, digits, '-', '_' and '.', and must start with a letter or digit",
                      at: node.location)
                return nil
            }
            return name
        }
        let base = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        guard Self.isWorkflowName(base) else {
            error("the file name '\(base)' cannot name a workflow; add 'name:' with letters, digits, '-', '_' or '.'",
                  at: top.node.location)
            return nil
        }
        return base
    }

    static func isWorkflowName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetterOrDigit else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetterOrDigit || $0 == "-" || $0 == "_" || $0 == "." }
    }

    /// Letters, digits and underscores, not starting with a digit: usable in `steps.X` and `inputs.X`.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetterOrDigit || $0 == "_" }
    }

    // MARK: inputs

    private func readInputs(_ node: SourceNode) -> [WorkflowInput] {
        guard let entries = node.entries else {
            error("'inputs' must be a mapping of input names to their settings, not \(node.kindDescription)", at: node.location)
            return []
        }
        var inputs: [WorkflowInput] = []
        for entry in entries {
            guard Self.isIdentifier(entry.key) else {
                error("input name '\(entry.key)' may hold only letters, digits and '_', and must not start with a digit",
                      at: entry.keyLocation)
                continue
            }
            let what = "input '\(entry.key)'"
            if entry.value.scalar != nil {
                // Shorthand: `title: string`.
                guard let kind = choice(entry.value, "type of \(what)", as: WorkflowInput.Kind.self) else { continue }
                inputs.append(WorkflowInput(name: entry.key, kind: kind, required: false, defaultValue: nil,
                                            description: nil, location: entry.keyLocation))
                continue
            }
            guard let settings = fields(entry.value, of: what, allowed: ["type", "required", "default", "description"]) else {
                continue
            }
            guard let typeNode = required(settings, "type", of: what, example: "string"),
                  let kind = choice(typeNode, "type of \(what)", as: WorkflowInput.Kind.self) else { continue }
            let isRequired = settings["required"].flatMap { bool($0, "'required' of \(what)") } ?? false
            var defaultValue: JSONValue? = nil
            if let defaultNode = settings["default"] {
                let value = json(defaultNode)
                let input = WorkflowInput(name: entry.key, kind: kind, required: isRequired, defaultValue: nil,
                                          description: nil, location: entry.keyLocation)
                if input.accepts(value) {
                    defaultValue = value
                } else {
                    error("default of \(what) is \(defaultNode.kindDescription), but its type is \(kind.rawValue)",
                          at: defaultNode.location)
                }
                if isRequired {
                    warning("\(what) is required and has a default; the default is never used", at: defaultNode.location)
                }
            }
            let description = settings["description"].flatMap { string($0, "description of \(what)") }
            inputs.append(WorkflowInput(name: entry.key, kind: kind, required: isRequired, defaultValue: defaultValue,
                                        description: description, location: entry.keyLocation))
        }
        return inputs
    }

    // MARK: env

    private func readEnv(_ node: SourceNode) -> [EnvEntry] {
        guard let entries = node.entries else {
            error("'env' must be a mapping of variable names to values, not \(node.kindDescription)", at: node.location)
            return []
        }
        var env: [EnvEntry] = []
        for entry in entries {
            guard Self.isIdentifier(entry.key) else {
                error("environment variable name '\(entry.key)' may hold only letters, digits and '_'", at: entry.keyLocation)
                continue
            }
            if entry.key.hasPrefix("BATON_SECRET") || entry.key == "BATON_API_TOKEN" {
                error("'\(entry.key)' is reserved for Baton's secrets; use another name, and read secrets as ${{ secrets.NAME }}",
                      at: entry.keyLocation)
                continue
            }
            guard entry.value.scalar != nil else {
                error("env '\(entry.key)' must be a single value, not \(entry.value.kindDescription)", at: entry.value.location)
                continue
            }
            if let value = template(entry.value, scope: .workflow) {
                env.append(EnvEntry(name: entry.key, value: value))
            }
        }
        return env
    }

    // MARK: connections

    private func readConnections(_ node: SourceNode) -> [Connection] {
        guard let entries = node.entries else {
            error("'connections' must be a mapping of connection names to their settings, not \(node.kindDescription)",
                  at: node.location)
            return []
        }
        var connections: [Connection] = []
        for entry in entries {
            let what = "connection '\(entry.key)'"
            guard Self.isIdentifier(entry.key) else {
                error("connection name '\(entry.key)' may hold only letters, digits and '_'", at: entry.keyLocation)
                continue
            }
            guard let settings = fields(entry.value, of: what,
                                        allowed: ["base_url", "auth", "headers", "rate_limit", "timeout"]) else { continue }
            let baseURL = settings["base_url"].flatMap { template($0, scope: .workflow) }
            let auth = settings["auth"].flatMap {
                readAuth($0, of: what, scope: .workflow, connection: SignInContext(name: entry.key, hasBaseURL: baseURL != nil))
            }
            let headers = settings["headers"].flatMap { memberTemplates($0, "header", scope: .workflow) } ?? []
            let rateLimit = settings["rate_limit"].flatMap { readRateLimit($0, of: what) }
            let timeout = settings["timeout"].flatMap { duration($0, "timeout of \(what)") }
            connections.append(Connection(name: entry.key, baseURL: baseURL, auth: auth, headers: headers,
                                          rateLimit: rateLimit, timeout: timeout, location: entry.keyLocation))
        }
        return connections
    }

    func readRateLimit(_ node: SourceNode, of what: String) -> RateLimit? {
        guard let text = node.scalarText, node.items == nil, node.entries == nil else {
            error("rate_limit of \(what) must be like 5/s, 300/m or 1000/h, not \(node.kindDescription)", at: node.location)
            return nil
        }
        do {
            return try RateLimit(parsing: text)
        } catch {
            self.error("rate_limit of \(what): \(error.message)", at: source.location(ofOffset: error.offset, in: text, of: node))
            return nil
        }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var isASCIILetterOrDigit: Bool { isASCIILetter || ("0"..."9").contains(self) }
}

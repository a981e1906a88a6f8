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
        let triggers = top["triggers"].map { readTriggers($0, inputs: inputs) } ?? []

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
            let auth = settings["auth"].flatMap { readAuth($0, of: what, scope: .workflow) }
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

    // MARK: auth

    func readAuth(_ node: SourceNode, of what: String, scope: ExpressionScope) -> Auth? {
        let kinds = ["bearer", "basic", "api_key", "oauth2"]
        guard let auth = fields(node, of: "auth of \(what)", allowed: kinds) else { return nil }
        guard auth.entries.count == 1, let entry = auth.entries.first else {
            if auth.entries.isEmpty {
                error("auth of \(what) is empty; use one of: bearer, basic, api_key, oauth2", at: node.location)
            } else {
                error("auth of \(what) has \(auth.entries.map { "'\($0.key)'" }.joined(separator: " and ")); use only one",
                      at: node.location)
            }
            return nil
        }
        let value = entry.value
        switch entry.key {
        case "bearer":
            guard value.scalar != nil else {
                error("bearer auth takes the token, e.g. 'bearer: ${{ secrets.API_TOKEN }}'", at: value.location)
                return nil
            }
            return template(value, scope: scope).map { .bearer(token: $0) }
        case "basic":
            guard let basic = fields(value, of: "basic auth", allowed: ["username", "password"]),
                  let user = required(basic, "username", of: "basic auth"),
                  let password = required(basic, "password", of: "basic auth", example: "${{ secrets.PASSWORD }}"),
                  let userTemplate = template(user, scope: scope),
                  let passwordTemplate = template(password, scope: scope) else { return nil }
            return .basic(username: userTemplate, password: passwordTemplate)
        case "api_key":
            guard let apiKey = fields(value, of: "api_key auth", allowed: ["header", "query", "value"]),
                  let keyValue = required(apiKey, "value", of: "api_key auth", example: "${{ secrets.API_KEY }}") else {
                return nil
            }
            let placement: (Auth.APIKeyPlacement, SourceNode)
            switch (apiKey["header"], apiKey["query"]) {
            case (let header?, nil): placement = (.header, header)
            case (nil, let query?): placement = (.query, query)
            case (.some, .some):
                error("api_key auth has both 'header' and 'query'; the key goes in one place", at: value.location)
                return nil
            case (nil, nil):
                error("api_key auth needs 'header: NAME' or 'query: NAME' to say where the key goes", at: value.location)
                return nil
            }
            guard let name = nonEmptyString(placement.1, "api_key \(placement.0.rawValue)"),
                  let valueTemplate = template(keyValue, scope: scope) else { return nil }
            return .apiKey(placement: placement.0, name: name, value: valueTemplate)
        case "oauth2":
            guard let oauth = fields(value, of: "oauth2 auth",
                                     allowed: ["grant", "token_url", "client_id", "client_secret", "scopes", "audience"])
            else { return nil }
            if let grant = oauth["grant"], let text = string(grant, "grant"), text != "client_credentials" {
                error("oauth2 grant '\(text)' is not supported here; use 'client_credentials'", at: grant.location)
            }
            guard let tokenURL = required(oauth, "token_url", of: "oauth2 auth"),
                  let clientID = required(oauth, "client_id", of: "oauth2 auth"),
                  let clientSecret = required(oauth, "client_secret", of: "oauth2 auth", example: "${{ secrets.CLIENT_SECRET }}"),
                  let tokenTemplate = template(tokenURL, scope: scope),
                  let idTemplate = template(clientID, scope: scope),
                  let secretTemplate = template(clientSecret, scope: scope) else { return nil }
            var scopes: [String] = []
            if let scopesNode = oauth["scopes"] {
                if let text = scopesNode.string {
                    scopes = text.split(separator: " ").map(String.init)
                } else {
                    scopes = list(scopesNode).compactMap { string($0, "scope") }
                }
            }
            let audience = oauth["audience"].flatMap { template($0, scope: scope) }
            return .oauth2ClientCredentials(OAuth2ClientCredentials(tokenURL: tokenTemplate, clientID: idTemplate,
                                                                    clientSecret: secretTemplate, scopes: scopes,
                                                                    audience: audience))
        default:
            return nil
        }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var isASCIILetterOrDigit: Bool { isASCIILetter || ("0"..."9").contains(self) }
}

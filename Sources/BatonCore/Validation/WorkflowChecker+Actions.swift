extension WorkflowChecker {
    static let actionKeys = StepAction.kinds
    static let httpKeys = ["method", "url", "connection", "query", "headers", "json", "form", "body", "auth", "timeout",
                           "expect", "paginate", "idempotency_key"]

    func readAction(_ entry: SourceNode.Entry, of what: String, scope: ExpressionScope,
                    connections: [Connection]) -> StepAction? {
        let node = entry.value
        switch entry.key {
        case "http":
            return readHTTPRequest(node, of: "http action of \(what)", scope: scope, connections: connections).map { .http($0) }
        case "graphql":
            return readGraphQL(node, of: what, scope: scope, connections: connections).map { .graphql($0) }
        case "soap":
            return readSOAP(node, of: what, scope: scope, connections: connections).map { .soap($0) }
        case "transform":
            return template(node, scope: scope).map { .transform($0) }
        case "wait":
            return readWait(node, of: what, scope: scope).map { .wait($0) }
        case "wait_for":
            guard let waitFor = fields(node, of: "wait_for of \(what)", allowed: ["event", "match", "timeout"]) else { return nil }
            guard let eventNode = required(waitFor, "event", of: "wait_for", example: "approval"),
                  let event = nonEmptyString(eventNode, "event") else { return nil }
            let match = waitFor["match"].flatMap { expressionTemplate($0, "match", scope: scope.adding(["event"])) }
            let timeout = waitFor["timeout"].flatMap { duration($0, "timeout") }
            return .waitFor(WaitForSpec(event: event, match: match, timeout: timeout))
        case "workflow":
            if let name = node.string {
                return .workflow(WorkflowCallSpec(name: name, input: nil))
            }
            guard let call = fields(node, of: "workflow action of \(what)", allowed: ["name", "input"]),
                  let nameNode = required(call, "name", of: "workflow action", example: "the-other-workflow"),
                  let name = nonEmptyString(nameNode, "workflow name") else { return nil }
            let input = call["input"].flatMap { template($0, scope: scope) }
            return .workflow(WorkflowCallSpec(name: name, input: input))
        case "respond":
            guard let respond = fields(node, of: "respond action of \(what)", allowed: ["status", "headers", "body"]) else {
                return nil
            }
            var status = Template.literal(200)
            if let statusNode = respond["status"] {
                if statusNode.string.map(TemplateScanner.containsTemplate) == true {
                    status = template(statusNode, scope: scope) ?? status
                } else if let code = int(statusNode, "status", in: 100...599) {
                    status = .literal(.number(Double(code)))
                }
            }
            let headers = respond["headers"].flatMap { memberTemplates($0, "header", scope: scope) } ?? []
            let body = respond["body"].flatMap { template($0, scope: scope) }
            return .respond(RespondSpec(status: status, headers: headers, body: body))
        case "fail":
            let messageNode: SourceNode?
            if node.entries != nil {
                guard let fail = fields(node, of: "fail action of \(what)", allowed: ["message"]) else { return nil }
                messageNode = required(fail, "message", of: "fail action")
            } else {
                messageNode = node
            }
            guard let messageNode else { return nil }
            if messageNode.scalar == .null {
                error("fail needs a message saying why the run failed", at: messageNode.location)
                return nil
            }
            return template(messageNode, scope: scope).map { .fail(message: $0) }
        default:
            return nil
        }
    }

    func readHTTPRequest(_ node: SourceNode, of what: String, scope: ExpressionScope,
                         connections: [Connection]) -> HTTPRequestSpec? {
        guard let http = fields(node, of: what, allowed: Self.httpKeys) else { return nil }
        let connection = readConnectionName(http, connections: connections)
        guard let urlNode = required(http, "url", of: what, example: "https://api.example.com/items"),
              let url = readURL(urlNode, connection: connection, connections: connections, scope: scope,
                                    connectionWasUnknown: connection == nil && http.has("connection")) else { return nil }

        let bodyKeys = ["json", "form", "body"].filter { http.has($0) }
        var body: HTTPRequestSpec.Body? = nil
        if bodyKeys.count > 1 {
            error("\(what) has \(bodyKeys.map { "'\($0)'" }.joined(separator: " and ")); a request has one body, so keep one",
                  at: http.keyLocation(bodyKeys[1])!)
        } else if let key = bodyKeys.first, let value = http[key] {
            switch key {
            case "json": body = template(value, scope: scope).map { .json($0) }
            case "form": body = memberTemplates(value, "form field", scope: scope).map { .form($0) }
            default:
                if value.scalar == nil {
                    error("'body' is sent as text and must be a string; use 'json:' to send a structure", at: value.location)
                } else {
                    body = template(value, scope: scope).map { .raw($0) }
                }
            }
        }
        var method = body == nil ? "GET" : "POST"
        if let methodNode = http["method"], let text = string(methodNode, "method") {
            if let normalized = Self.httpMethod(text) {
                method = normalized
                if (normalized == "GET" || normalized == "HEAD"), let key = bodyKeys.first {
                    error("a \(normalized) request cannot send a body ('\(key)'); use POST, PUT or PATCH, or move the values to 'query'",
                          at: methodNode.location)
                }
            } else {
                let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
                let tail = Suggestions.closest(to: text.uppercased(), in: methods).map { "did you mean '\($0)'?" }
                    ?? "use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS"
                error("unknown HTTP method '\(text)'; \(tail)", at: methodNode.location)
            }
        }
        let query = http["query"].flatMap { memberTemplates($0, "query parameter", scope: scope) } ?? []
        let headers = http["headers"].flatMap { memberTemplates($0, "header", scope: scope) } ?? []
        let auth = http["auth"].flatMap { readAuth($0, of: what, scope: scope) }
        let timeout = http["timeout"].flatMap { duration($0, "timeout") }
        let expect = http["expect"].map { statusConditions($0, "expect", allowKinds: false) } ?? []
        let paginate = http["paginate"].flatMap { readPagination($0, scope: scope) }
        let idempotencyKey = http["idempotency_key"].flatMap { template($0, scope: scope) }
        return HTTPRequestSpec(method: method, url: url, connection: connection, query: query, headers: headers, body: body,
                               auth: auth, timeout: timeout, expect: expect, paginate: paginate,
                               idempotencyKey: idempotencyKey)
    }

    private func readConnectionName(_ fields: Fields, connections: [Connection]) -> String? {
        guard let node = fields["connection"], let name = nonEmptyString(node, "connection") else { return nil }
        guard connections.contains(where: { $0.name == name }) else {
            let names = connections.map(\.name)
            let known = names.isEmpty ? "; declare it under 'connections:' at the top of the file"
                : Suggestions.closest(to: name, in: names).map { "; did you mean '\($0)'?" }
                    ?? "; declared connections are: \(names.joined(separator: ", "))"
            error("unknown connection '\(name)'\(known)", at: node.location)
            return nil
        }
        return name
    }

    /// A URL: absolute http(s), or a path relative to the connection's base URL.
    private func readURL(_ node: SourceNode, connection: String?, connections: [Connection],
                         scope: ExpressionScope, connectionWasUnknown: Bool = false) -> Template? {
        guard let url = template(node, scope: scope) else { return nil }
        guard case .literal(.string(let text)) = url else {
            if node.scalar == nil { error("url must be a string, not \(node.kindDescription)", at: node.location) }
            return url
        }
        let hasBase = connection.flatMap { name in connections.first { $0.name == name }?.baseURL } != nil
        if text.hasPrefix("http://") || text.hasPrefix("https://") {
            return url
        }
        if text.hasPrefix("/") {
            if !hasBase && !connectionWasUnknown {
                error("url '\(text)' is relative; write the full https:// URL, or use a connection with a base_url",
                      at: node.location)
                return nil
            }
            return url
        }
        error("url '\(text)' must start with http:// or https://\(hasBase ? " (or '/' for a path under the connection's base_url)" : "")",
              at: node.location)
        return nil
    }

    private func readPagination(_ node: SourceNode, scope: ExpressionScope) -> HTTPRequestSpec.Pagination? {
        guard let paginate = fields(node, of: "paginate", allowed: ["type", "items", "cursor", "param", "limit", "max_pages"]),
              let typeNode = required(paginate, "type", of: "paginate", example: "link"),
              let strategy = choice(typeNode, "paginate type", as: HTTPRequestSpec.Pagination.Strategy.self) else {
            return nil
        }
        let responseScope = scope.adding(["response"])
        let items = paginate["items"].flatMap { expressionTemplate($0, "items", scope: responseScope) }
        let cursor = paginate["cursor"].flatMap { expressionTemplate($0, "cursor", scope: responseScope) }
        let parameter = paginate["param"].flatMap { nonEmptyString($0, "param") }
        switch strategy {
        case .cursor:
            if cursor == nil, !paginate.has("cursor") {
                error("cursor pagination needs 'cursor: ${{ response.body.next_cursor }}' to find the next cursor", at: node.location)
            }
            if parameter == nil, !paginate.has("param") {
                error("cursor pagination needs 'param' naming the query parameter that carries the cursor", at: node.location)
            }
        case .page:
            if parameter == nil, !paginate.has("param") {
                error("page pagination needs 'param' naming the query parameter that carries the page number", at: node.location)
            }
        case .link:
            for key in ["cursor", "param"] where paginate.has(key) {
                error("'\(key)' does not apply to link pagination, which follows the Link header", at: paginate.keyLocation(key)!)
            }
        }
        let limit = paginate["limit"].flatMap { int($0, "limit", in: 1...1_000_000) }
        let maxPages = paginate["max_pages"].flatMap { int($0, "max_pages", in: 1...10_000) } ?? 100
        return HTTPRequestSpec.Pagination(strategy: strategy, items: items, cursor: cursor, parameter: parameter,
                                          limit: limit, maxPages: maxPages)
    }

    private func readGraphQL(_ node: SourceNode, of what: String, scope: ExpressionScope,
                             connections: [Connection]) -> GraphQLSpec? {
        let keys = ["url", "connection", "query", "variables", "operation_name", "headers", "auth", "timeout"]
        guard let graphql = fields(node, of: "graphql action of \(what)", allowed: keys) else { return nil }
        let connection = readConnectionName(graphql, connections: connections)
        guard let urlNode = required(graphql, "url", of: "graphql action", example: "https://api.example.com/graphql"),
              let url = readURL(urlNode, connection: connection, connections: connections, scope: scope,
                                connectionWasUnknown: connection == nil && graphql.has("connection")),
              let queryNode = required(graphql, "query", of: "graphql action", example: "'query { viewer { id } }'"),
              let query = template(queryNode, scope: scope) else { return nil }
        if queryNode.scalar == nil {
            error("graphql query must be a string holding the query document", at: queryNode.location)
        }
        let variables = graphql["variables"].flatMap { template($0, scope: scope) }
        let operationName = graphql["operation_name"].flatMap { nonEmptyString($0, "operation_name") }
        let headers = graphql["headers"].flatMap { memberTemplates($0, "header", scope: scope) } ?? []
        let auth = graphql["auth"].flatMap { readAuth($0, of: what, scope: scope) }
        let timeout = graphql["timeout"].flatMap { duration($0, "timeout") }
        return GraphQLSpec(url: url, connection: connection, query: query, variables: variables, operationName: operationName,
                           headers: headers, auth: auth, timeout: timeout)
    }

    private func readSOAP(_ node: SourceNode, of what: String, scope: ExpressionScope,
                          connections: [Connection]) -> SOAPSpec? {
        let keys = ["url", "connection", "action", "body", "namespace", "headers", "auth", "timeout"]
        guard let soap = fields(node, of: "soap action of \(what)", allowed: keys) else { return nil }
        let connection = readConnectionName(soap, connections: connections)
        guard let urlNode = required(soap, "url", of: "soap action", example: "https://service.example.com/soap"),
              let url = readURL(urlNode, connection: connection, connections: connections, scope: scope,
                                connectionWasUnknown: connection == nil && soap.has("connection")),
              let actionNode = required(soap, "action", of: "soap action", example: "http://example.com/ValidateAddress"),
              let action = template(actionNode, scope: scope),
              let bodyNode = required(soap, "body", of: "soap action", example: "{ValidateAddress: {street: ...}}") else {
            return nil
        }
        if let entries = bodyNode.entries, entries.count != 1 {
            error("soap body must have exactly one top-level element (the operation), found \(entries.count)",
                  at: bodyNode.location)
            return nil
        }
        if bodyNode.scalar != nil, bodyNode.string.map(TemplateScanner.containsTemplate) != true {
            error("soap body must be a mapping whose single key is the operation element", at: bodyNode.location)
            return nil
        }
        guard let body = template(bodyNode, scope: scope) else { return nil }
        let namespace = soap["namespace"].flatMap { nonEmptyString($0, "namespace") }
        let headers = soap["headers"].flatMap { memberTemplates($0, "header", scope: scope) } ?? []
        let auth = soap["auth"].flatMap { readAuth($0, of: what, scope: scope) }
        let timeout = soap["timeout"].flatMap { duration($0, "timeout") }
        return SOAPSpec(url: url, connection: connection, action: action, body: body, namespace: namespace,
                        headers: headers, auth: auth, timeout: timeout)
    }

    private func readWait(_ node: SourceNode, of what: String, scope: ExpressionScope) -> WaitSpec? {
        if node.scalar != nil {
            // Shorthand: `wait: 10m`.
            return duration(node, "wait").map { .duration($0) }
        }
        guard let wait = fields(node, of: "wait action of \(what)", allowed: ["for", "until"]) else { return nil }
        switch (wait["for"], wait["until"]) {
        case (let forNode?, nil):
            return duration(forNode, "wait for").map { .duration($0) }
        case (nil, let untilNode?):
            guard let until = template(untilNode, scope: scope) else { return nil }
            if case .literal(let value) = until {
                guard case .string(let text) = value, ISO8601Time.parse(text) != nil else {
                    let shown = value.stringValue.map { "'\($0)'" } ?? value.serialized()
                    error("wait until \(shown) is not a time; write an ISO 8601 time like 2026-12-01T09:00:00Z, or an expression",
                          at: untilNode.location)
                    return nil
                }
            }
            return .until(until)
        case (.some, .some):
            error("wait has both 'for' and 'until'; keep one", at: node.location)
            return nil
        case (nil, nil):
            error("wait needs 'for: 10m' or 'until: ${{ ... }}'", at: node.location)
            return nil
        }
    }
}

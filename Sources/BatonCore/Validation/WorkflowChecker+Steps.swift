extension WorkflowChecker {
    static let stepKeys = ["id", "name", "needs", "if", "for_each", "concurrency", "retry", "timeout", "on_error",
                           "rate_limit"]

    func readSteps(_ node: SourceNode, onFailure: Bool, connections: [Connection]) -> [Step] {
        let listName = onFailure ? "on_failure" : "steps"
        guard let items = node.items else {
            error("'\(listName)' must be a list of steps ('- id: ...'), not \(node.kindDescription)", at: node.location)
            return []
        }
        var steps: [Step] = []
        var previous: String? = nil
        for item in items {
            if let step = readStep(item, previous: previous, onFailure: onFailure, connections: connections) {
                steps.append(step)
                previous = step.id
            } else if let id = item["id"]?.string, Self.isIdentifier(id) {
                // Keep file order for the steps after one that has errors.
                previous = id
            }
        }
        return steps
    }

    private func readStep(_ node: SourceNode, previous: String?, onFailure: Bool, connections: [Connection]) -> Step? {
        guard let entries = node.entries else {
            error("each step must be a mapping with an 'id' and an action, not \(node.kindDescription)", at: node.location)
            return nil
        }
        var id: String? = nil
        if let idNode = node["id"] {
            if let text = nonEmptyString(idNode, "step id") {
                if Self.isIdentifier(text) {
                    id = text
                } else {
                    let fixed = String(text.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
                    error("step id '\(text)' may hold only letters, digits and '_', and must not start with a digit "
                          + "(it is used as steps.\(text) in expressions); try '\(fixed.first!.isNumber ? "_" + fixed : fixed)'",
                          at: idNode.location)
                }
            }
        } else {
            error("step has no 'id'; add one, e.g. 'id: \(entries.first(where: { WorkflowChecker.actionKeys.contains($0.key) })?.key ?? "fetch")'",
                  at: node.location)
        }
        let what = id.map { "step '\($0)'" } ?? "this step"
        let allowed = Self.stepKeys + Self.actionKeys
        guard let step = fields(node, of: what, allowed: allowed) else { return nil }

        let isIterating = step.has("for_each")
        let scope = ExpressionScope.step(id ?? "?", iterating: isIterating, onFailure: onFailure)

        var dependencies: [String] = previous.map { [$0] } ?? []
        if let needsNode = step["needs"] {
            dependencies = []
            for need in list(needsNode) {
                guard let name = nonEmptyString(need, "needs") else { continue }
                dependencies.append(name)
                if let id { needLocations[id, default: [:]][name] = need.location }
            }
        }
        let condition = step["if"].flatMap {
            expressionTemplate($0, "if", scope: scope, allowLiteral: { $0.scalar.map { if case .bool = $0 { true } else { false } } ?? false })
        }
        var forEach: Step.ForEach? = nil
        if let itemsNode = step["for_each"] {
            let itemsScope = ExpressionScope.step(id ?? "?", iterating: false, onFailure: onFailure)
            let items = expressionTemplate(itemsNode, "for_each", scope: itemsScope, allowLiteral: { $0.items != nil })
            let concurrency = step["concurrency"].flatMap { int($0, "concurrency", in: 1...1000) } ?? 1
            if let items { forEach = Step.ForEach(items: items, concurrency: concurrency) }
        } else if step.has("concurrency") {
            error("'concurrency' on a step limits its for_each items; this step has no for_each (a workflow's "
                  + "concurrency goes at the top of the file)", at: step.keyLocation("concurrency")!)
        }
        let retry = step["retry"].flatMap { readRetry($0) }
        let timeout = step["timeout"].flatMap { duration($0, "timeout") }
        let onError = step["on_error"].flatMap { choice($0, "on_error", as: Step.OnError.self) } ?? .fail
        let rateLimit = step["rate_limit"].flatMap { readRateLimit($0, of: what) }
        let name = step["name"].flatMap { string($0, "name") }

        let actionEntries = step.entries.filter { Self.actionKeys.contains($0.key) }
        var action: StepAction? = nil
        switch actionEntries.count {
        case 0:
            // A misspelt action ('htp') already has its own error with a suggestion.
            let misspelt = step.entries.contains { !allowed.contains($0.key)
                && Suggestions.closest(to: $0.key, in: allowed).map(Self.actionKeys.contains) == true }
            if !misspelt {
                error("\(what) has no action; add one of: \(Self.actionKeys.joined(separator: ", "))", at: node.location)
            }
        case 1:
            action = readAction(actionEntries[0], of: what, scope: scope, connections: connections)
        default:
            let names = actionEntries.map { "'\($0.key)'" }
            error("\(what) has \(names.count) actions, \(names.joined(separator: " and ")); a step does one thing, "
                  + "so split it into \(names.count) steps", at: actionEntries[1].keyLocation)
        }
        if let retry, case .some(let kind) = action?.kind, !["http", "graphql", "soap", "workflow"].contains(kind),
           retry.attempts > 1 {
            warning("'retry' on a \(kind) step has no effect: only steps that call out can fail transiently",
                    at: step.keyLocation("retry")!)
        }
        guard let id, let action else { return nil }
        return Step(id: id, name: name, dependencies: dependencies, hasExplicitNeeds: step.has("needs"),
                    condition: condition, forEach: forEach, retry: retry, timeout: timeout, onError: onError,
                    rateLimit: rateLimit, action: action, location: node.location)
    }

    private func readRetry(_ node: SourceNode) -> RetryPolicy? {
        var policy = RetryPolicy(attempts: 3, backoff: .exponential, initial: .seconds(1), max: .seconds(60), jitter: true,
                                 when: RetryPolicy.defaultConditions)
        if node.scalar != nil {
            // Shorthand: `retry: 5` means five attempts with the default backoff.
            guard let attempts = int(node, "retry attempts", in: 1...100) else { return nil }
            policy.attempts = attempts
            return policy
        }
        guard let retry = fields(node, of: "retry", allowed: ["attempts", "backoff", "initial", "max", "jitter", "when"]) else {
            return nil
        }
        if let value = retry["attempts"].flatMap({ int($0, "retry attempts", in: 1...100) }) { policy.attempts = value }
        if let value = retry["backoff"].flatMap({ choice($0, "backoff", as: RetryPolicy.Backoff.self) }) { policy.backoff = value }
        if let value = retry["initial"].flatMap({ duration($0, "initial") }) { policy.initial = value }
        if let value = retry["max"].flatMap({ duration($0, "max") }) { policy.max = value }
        if let value = retry["jitter"].flatMap({ bool($0, "jitter") }) { policy.jitter = value }
        // `when`, not `on`: YAML 1.1 tools read a bare `on` key as `true`.
        if let whenNode = retry["when"] { policy.when = statusConditions(whenNode, "retry 'when'", allowKinds: true) }
        if policy.max < policy.initial, let maxNode = retry["max"] {
            error("retry max (\(DurationText.format(policy.max))) is shorter than initial (\(DurationText.format(policy.initial))); "
                  + "make max at least as long", at: maxNode.location)
        }
        return policy
    }

    /// Statuses (`429`), classes (`5xx`) and, for retries, `network` and `timeout`.
    func statusConditions(_ node: SourceNode, _ what: String, allowKinds: Bool) -> [RetryPolicy.Condition] {
        var conditions: [RetryPolicy.Condition] = []
        for item in list(node) {
            guard let text = item.scalarText, item.items == nil else {
                error("\(what) takes statuses like 429 or 5xx, not \(item.kindDescription)", at: item.location)
                continue
            }
            let lower = text.lowercased()
            if allowKinds, lower == "network" { conditions.append(.network); continue }
            if allowKinds, lower == "timeout" { conditions.append(.timeout); continue }
            if let status = Int(text), (100...599).contains(status) { conditions.append(.status(status)); continue }
            if lower.count == 3, lower.hasSuffix("xx"), let digit = Int(lower.prefix(1)), (1...5).contains(digit) {
                conditions.append(.statusClass(digit)); continue
            }
            let kinds = allowKinds ? ", network or timeout" : ""
            error("\(what): '\(text)' is not a status; use a code like 429, a class like 5xx\(kinds)", at: item.location)
        }
        return conditions
    }
}

import JSONata

extension WorkflowChecker {
    /// Checks `needs`: every name is a step of the same list, no step needs itself, no cycles.
    func checkStepGraph(main: [Step], onFailure: [Step]) {
        var seen: [String: SourceLocation] = [:]
        for step in main + onFailure {
            if let first = seen[step.id] {
                error("step id '\(step.id)' is used twice (first at line \(first.line)); give each step its own id",
                      at: step.location)
            }
            seen[step.id] = step.location
        }
        checkNeeds(of: main, list: "steps", other: onFailure)
        checkNeeds(of: onFailure, list: "on_failure", other: main)
        reportCycles(in: main)
        reportCycles(in: onFailure)
    }

    private func checkNeeds(of steps: [Step], list: String, other: [Step]) {
        let ids = steps.map(\.id)
        for step in steps where step.hasExplicitNeeds {
            for need in step.dependencies {
                let location = needLocations[step.id]?[need] ?? step.location
                if need == step.id {
                    error("step '\(step.id)' needs itself; remove '\(need)' from its needs", at: location)
                } else if !ids.contains(need) {
                    if other.contains(where: { $0.id == need }) {
                        let detail = list == "steps"
                            ? "an on_failure step runs only after the run fails, so a main step cannot wait for it"
                            : "on_failure steps run after the main steps; read its result as steps.\(need) instead"
                        error("step '\(step.id)' needs '\(need)', which is not in '\(list)': \(detail)", at: location)
                    } else {
                        error("step '\(step.id)' needs unknown step '\(need)'\(Suggestions.hint(for: need, in: ids))",
                              at: location)
                    }
                }
            }
        }
    }

    /// Reports each cycle once, naming its steps in order.
    private func reportCycles(in steps: [Step]) {
        let byID = Dictionary(steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var state: [String: Int] = [:]  // 1: on the path, 2: done
        var path: [String] = []
        var reported = Set<String>()

        func visit(_ id: String) {
            state[id] = 1
            path.append(id)
            for need in byID[id]?.dependencies ?? [] where byID[need] != nil && need != id {
                if state[need] == 1 {
                    let cycle = Array(path[path.firstIndex(of: need)!...])
                    let key = cycle.sorted().joined(separator: ",")
                    if reported.insert(key).inserted {
                        let first = byID[cycle[0]]!
                        let loop = (cycle + [cycle[0]]).joined(separator: " → ")
                        error("steps form a cycle, \(loop); remove one of these needs", at: first.location)
                    }
                } else if state[need] == nil {
                    visit(need)
                }
            }
            path.removeLast()
            state[id] = 2
        }
        for step in steps where state[step.id] == nil { visit(step.id) }
    }

    /// Every step that finishes before `id` starts, following dependencies transitively.
    private func ancestors(of steps: [Step]) -> [String: Set<String>] {
        let byID = Dictionary(steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var memo: [String: Set<String>] = [:]
        var visiting = Set<String>()
        func compute(_ id: String) -> Set<String> {
            if let known = memo[id] { return known }
            guard visiting.insert(id).inserted else { return [] }  // a cycle, reported elsewhere
            var result = Set<String>()
            for need in byID[id]?.dependencies ?? [] where byID[need] != nil {
                result.insert(need)
                result.formUnion(compute(need))
            }
            visiting.remove(id)
            memo[id] = result
            return result
        }
        for step in steps { _ = compute(step.id) }
        return memo
    }

    /// Checks the names each expression starts from, and that `steps.X` runs before its user.
    func checkExpressionReferences(main: [Step], onFailure: [Step], inputs: [WorkflowInput]) {
        let mainAncestors = ancestors(of: main)
        let failureAncestors = ancestors(of: onFailure)
        let mainIDs = main.map(\.id)
        let allIDs = mainIDs + onFailure.map(\.id)
        let inputNames = inputs.map(\.name)

        for use in expressionUses {
            for reference in use.expression.compiled.rootPaths {
                guard let first = reference.fields.first else { continue }
                let at = source.location(ofOffset: use.offset + use.expression.source.scalarOffset(ofUTF16: reference.position),
                                         in: use.value, of: use.node)
                guard use.scope.names.contains(first) else {
                    error(unknownNameMessage(first, scope: use.scope), at: at)
                    continue
                }
                if first == "inputs", reference.fields.count > 1 {
                    let name = reference.fields[1]
                    if !inputNames.contains(name) {
                        let declared = inputNames.isEmpty ? "this workflow declares no inputs; add it under 'inputs:'"
                            : Suggestions.closest(to: name, in: inputNames).map { "did you mean '\($0)'?" }
                                ?? "declared inputs are: \(inputNames.joined(separator: ", "))"
                        error("unknown input '\(name)' in expression; \(declared)", at: at)
                    }
                }
                guard first == "steps", reference.fields.count > 1, let user = use.scope.stepID else { continue }
                let target = reference.fields[1]
                guard allIDs.contains(target) else {
                    error("unknown step '\(target)' in expression\(Suggestions.hint(for: target, in: allIDs))", at: at)
                    continue
                }
                if target == user {
                    error("step '\(user)' refers to its own result (steps.\(target)); a step can only read steps that ran before it",
                          at: at)
                    continue
                }
                if use.scope.inOnFailure {
                    // on_failure steps may read any main step, and on_failure steps before them.
                    if mainIDs.contains(target) || failureAncestors[user]?.contains(target) == true { continue }
                    error("on_failure step '\(user)' uses steps.\(target), which does not run before it; "
                          + "add '\(target)' to its needs", at: at)
                } else if !mainIDs.contains(target) {
                    error("step '\(user)' uses steps.\(target), an on_failure step, which only runs after the run has failed",
                          at: at)
                } else if mainAncestors[user]?.contains(target) != true {
                    error("step '\(user)' uses steps.\(target), which does not run before it; add '\(target)' to its needs",
                          at: at)
                }
            }
        }
    }

    private func unknownNameMessage(_ name: String, scope: ExpressionScope) -> String {
        let available = scope.names.sorted().joined(separator: ", ")
        switch name {
        case "item", "index":
            return "'\(name)' is only defined in a step with for_each; \(scope.place) can use \(available)"
        case "steps":
            return "\(scope.place) runs before any step, so it cannot use 'steps'; it can use \(available)"
        case "response", "event":
            return "'\(name)' is not available in \(scope.place); it can use \(available)"
        default:
            if ["body", "headers", "query"].contains(name), scope.names.contains("trigger") {
                return "unknown name '\(name)' in expression; did you mean 'trigger.\(name)'?"
            }
            let suggestion = Suggestions.closest(to: name, in: scope.names).map { "did you mean '\($0)'? " } ?? ""
            return "unknown name '\(name)' in expression; \(suggestion)\(scope.place) can use \(available)"
        }
    }
}

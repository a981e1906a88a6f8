/// The decision core of one run, with no I/O: which steps may start now, and when the run ends.
///
/// The executor feeds it what happened (a step finished, the run was cancelled or timed out)
/// and applies the actions it returns; every transition is a pure function of the state, so
/// it is tested exhaustively without a database or a network.
public struct RunStateMachine: Sendable, Equatable {
    /// Where a step is in its life.
    public enum StepStatus: String, Sendable, Hashable, Codable {
        /// Waiting for its dependencies.
        case pending
        /// Started and not yet finished.
        case running
        /// Finished well.
        case succeeded
        /// Finished badly.
        case failed
        /// Not run because its `if` was false.
        case skipped
        /// Stopped because the run was cancelled or failed elsewhere.
        case cancelled
    }

    /// How a finished run ended.
    public enum Outcome: String, Sendable, Hashable {
        /// Every step succeeded or was skipped, or failed with `on_error: continue`.
        case succeeded
        /// A step failed, the run timed out, or a `fail` step ran.
        case failed
        /// Someone cancelled it.
        case cancelled
    }

    /// What the executor must do next.
    public enum Action: Sendable, Hashable {
        /// Start this step (evaluate its `if`, then run it or report it skipped).
        case start(String)
        /// Stop the steps still running (the run failed or was cancelled).
        case cancelRunning([String])
        /// The run is over.
        case finish(Outcome)
    }

    /// The run's phase.
    public enum Phase: Sendable, Hashable {
        /// Main steps are running.
        case main
        /// A main step failed; waiting for the running ones to stop before `on_failure`.
        case failing
        /// The `on_failure` steps are running.
        case onFailure
        /// Cancelled; waiting for running steps to stop.
        case cancelling
        /// Over.
        case finished(Outcome)
    }

    /// One step as the machine sees it.
    public struct Node: Sendable, Hashable {
        /// The step id.
        public var id: String
        /// Steps that must be done before it starts.
        public var dependencies: [String]
        /// Whether its failure lets the run go on (`on_error: continue`).
        public var continuesOnError: Bool

        /// Creates a node.
        public init(id: String, dependencies: [String], continuesOnError: Bool = false) {
            self.id = id
            self.dependencies = dependencies
            self.continuesOnError = continuesOnError
        }
    }

    /// The main steps, in file order.
    public private(set) var main: [Node]
    /// The `on_failure` steps, in file order.
    public private(set) var onFailure: [Node]
    /// Each step's status.
    public private(set) var statuses: [String: StepStatus]
    /// The phase.
    public private(set) var phase: Phase

    /// Creates the machine for a run that has not started.
    public init(main: [Node], onFailure: [Node] = []) {
        self.main = main
        self.onFailure = onFailure
        self.statuses = Dictionary(uniqueKeysWithValues: (main + onFailure).map { ($0.id, .pending) })
        self.phase = .main
    }

    /// Restores a run from its stored step statuses (after a restart). Steps that were running
    /// when the process died are pending again: they run once more (at-least-once).
    public init(main: [Node], onFailure: [Node] = [], restoring stored: [String: StepStatus], failed: Bool = false,
                cancelled: Bool = false) {
        self.init(main: main, onFailure: onFailure)
        for (id, status) in stored where statuses[id] != nil {
            statuses[id] = status == .running ? .pending : status
        }
        if cancelled {
            phase = .cancelling
        } else if failed || main.contains(where: { statuses[$0.id] == .failed && !$0.continuesOnError }) {
            phase = onFailure.contains(where: { statuses[$0.id] != .pending }) ? .onFailure : .failing
        }
    }

    /// The first actions: the steps that can start now (or the end, for an empty run).
    public mutating func start() -> [Action] {
        advance()
    }

    /// Records that the executor started `id`.
    public mutating func stepStarted(_ id: String) {
        guard statuses[id] == .pending else { return }
        statuses[id] = .running
    }

    /// Records how `id` ended and returns what to do next.
    public mutating func stepFinished(_ id: String, _ status: StepStatus) -> [Action] {
        guard let current = statuses[id], current == .running || current == .pending else { return [] }
        statuses[id] = status
        var actions: [Action] = []
        if status == .failed, phase == .main, let node = main.first(where: { $0.id == id }), !node.continuesOnError {
            phase = .failing
            let running = runningSteps(in: main)
            if !running.isEmpty { actions.append(.cancelRunning(running)) }
        }
        return actions + advance()
    }

    /// The run failed from outside its steps (a run timeout, a `fail` step): stop the running
    /// steps, then run `on_failure`.
    public mutating func fail() -> [Action] {
        guard phase == .main else { return [] }
        phase = .failing
        let running = runningSteps(in: main)
        return (running.isEmpty ? [] : [.cancelRunning(running)]) + advance()
    }

    /// The run was cancelled: stop the running steps and end without `on_failure`.
    public mutating func cancel() -> [Action] {
        switch phase {
        case .finished, .cancelling: return []
        default: break
        }
        phase = .cancelling
        let running = runningSteps(in: main + onFailure)
        return (running.isEmpty ? [] : [.cancelRunning(running)]) + advance()
    }

    /// Whether the run is over.
    public var isFinished: Bool {
        if case .finished = phase { return true }
        return false
    }

    // MARK: - Transitions

    private func runningSteps(in nodes: [Node]) -> [String] {
        nodes.filter { statuses[$0.id] == .running }.map(\.id)
    }

    /// A dependency lets its dependants go once it is done; a failure only when it continues.
    private func isDone(_ id: String, in nodes: [Node]) -> Bool {
        switch statuses[id] {
        case .succeeded, .skipped: return true
        case .failed: return nodes.first { $0.id == id }?.continuesOnError ?? false
        default: return false
        }
    }

    private func readySteps(in nodes: [Node]) -> [String] {
        nodes.filter { node in
            statuses[node.id] == .pending && node.dependencies.allSatisfy { isDone($0, in: nodes) }
        }.map(\.id)
    }

    private mutating func advance() -> [Action] {
        switch phase {
        case .finished:
            return []
        case .main:
            let ready = readySteps(in: main)
            if !ready.isEmpty { return ready.map(Action.start) }
            if runningSteps(in: main).isEmpty {
                // Nothing running and nothing can start: every step is done.
                return finish(.succeeded)
            }
            return []
        case .failing:
            guard runningSteps(in: main).isEmpty else { return [] }
            markPending(main, as: .cancelled)
            phase = .onFailure
            return advance()
        case .onFailure:
            let ready = readySteps(in: onFailure)
            if !ready.isEmpty { return ready.map(Action.start) }
            guard runningSteps(in: onFailure).isEmpty else { return [] }
            // An on_failure step that fails stops its own dependants; the run is failed either way.
            markPending(onFailure, as: .cancelled)
            return finish(.failed)
        case .cancelling:
            guard runningSteps(in: main + onFailure).isEmpty else { return [] }
            markPending(main + onFailure, as: .cancelled)
            return finish(.cancelled)
        }
    }

    private mutating func markPending(_ nodes: [Node], as status: StepStatus) {
        for node in nodes where statuses[node.id] == .pending { statuses[node.id] = status }
    }

    private mutating func finish(_ outcome: Outcome) -> [Action] {
        phase = .finished(outcome)
        return [.finish(outcome)]
    }
}

import BatonCore
import BatonStore
import Foundation
import JSONata
import OrderedCollections

/// Executes one claimed run from its last committed step to its end, or until it parks.
///
/// Each step's result is committed (together with the start of the steps it unblocks) before
/// any step that depends on it starts, so a crash loses at most the steps that were in flight;
/// they run again when another worker claims the run (at-least-once).
struct RunExecution: Sendable {
    /// How the execution ended for this worker.
    enum Ending: Sendable, Equatable {
        /// The run finished with this status.
        case finished(RunStatus)
        /// The run parked until a timer is due.
        case parked(Date)
        /// The lease was lost or the run was cancelled elsewhere: stop without writing.
        case abandoned(String)
    }

    /// Events the run's loop reacts to.
    enum Event: Sendable {
        case step(String, StepOutcome)
        case timedOut
        case abandoned(String)
    }

    let run: Run
    let workflow: Workflow
    let dependencies: ExecutorDependencies
    /// Steps recorded as started when the run was created; their start is not written again.
    var startedSteps: Set<String> = []

    var store: any RunStore { dependencies.store }

    func execute() async -> Ending {
        do {
            return try await executeThrowing()
        } catch let error as StoreError {
            return .abandoned(error.description)
        } catch {
            return .abandoned("\(error)")
        }
    }

    private func executeThrowing() async throws -> Ending {
        // A run claimed for the first time has no step rows (only its lease holder writes
        // them): skip the read. A run passed in without a claim (count 0) is read as usual.
        let stored = run.claimCount == 1 ? [] : try await store.steps(runID: run.id)
        var state = try RunState(run: run, workflow: workflow, environment: dependencies.environment, stored: stored,
                                 resumeURL: dependencies.resumeURL?(run.id))
        var machine = RunStateMachine(main: workflow.steps.map(Self.node), onFailure: workflow.onFailure.map(Self.node),
                                      restoring: state.statuses, failed: state.runError != nil)
        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        var tasks: [String: Task<Void, Never>] = [:]
        var startTimes: [String: ContinuousClock.Instant] = [:]
        var parked: [String: Date] = [:]
        var changes: [RunChange] = []
        /// Steps ready to start that a shutdown kept from starting.
        var held: [String] = []
        var timer: Task<Void, Never>? = nil
        var pendingStart: Task<Void, any Error>? = nil
        var isFirstCommit = true
        defer {
            for task in tasks.values { task.cancel() }
            timer?.cancel()
            continuation.finish()
        }
        if let timeout = workflow.timeout {
            let deadline = (run.startedAt ?? dependencies.clock.now()).addingTimeInterval(timeout.timeInterval)
            let clock = dependencies.clock
            timer = Task {
                let remaining = deadline.timeIntervalSince(clock.now())
                if remaining > 0 { try? await clock.sleep(for: .seconds(remaining)) }
                if !Task.isCancelled { continuation.yield(.timedOut) }
            }
        }

        var iterator = events.makeAsyncIterator()
        var actions = machine.start()
        while true {
            var finish: RunStateMachine.Outcome? = nil
            var starting: [String] = []
            for action in actions {
                switch action {
                case .start(let id): starting.append(id)
                case .cancelRunning(let ids): for id in ids { tasks[id]?.cancel() }
                case .finish(let outcome): finish = outcome
                }
            }
            if let finish {
                let (status, output, error) = state.result(of: finish, workflow: workflow)
                changes.append(.runFinished(runID: run.id, status: status, output: output.map(redact), error: error.map(redact)))
                try await store.commit(changes, owner: dependencies.owner, now: dependencies.clock.now())
                return .finished(status)
            }
            if dependencies.drain.isDraining {
                // Shutting down: steps in flight finish and are committed, nothing new starts;
                // once none is in flight the run goes back to the queue for the next process.
                held += starting
                starting = []
                if tasks.isEmpty {
                    if held.isEmpty, !parked.isEmpty {
                        changes.append(.runParked(runID: run.id, wakeAt: parked.values.min()!))
                        try await store.commit(changes, owner: dependencies.owner, now: dependencies.clock.now())
                        return .parked(parked.values.min()!)
                    }
                    changes.append(.leaseReleased(runID: run.id))
                    try await store.commit(changes, owner: dependencies.owner, now: dependencies.clock.now())
                    return .abandoned(Self.releasedForShutdown)
                }
            }
            for id in starting {
                machine.stepStarted(id)
                changes.append(.stepStarted(runID: run.id, step: StepKey(id)))
            }
            if starting.isEmpty, tasks.isEmpty, !parked.isEmpty {
                // Every branch is parked: the last step's wait and the run's parking are one commit.
                let wake = parked.values.min()!
                changes.append(.runParked(runID: run.id, wakeAt: wake))
                try await store.commit(changes, owner: dependencies.owner, now: dependencies.clock.now())
                return .parked(wake)
            }
            if isFirstCommit, !starting.isEmpty, changes.count == starting.count, startingAlreadyRecorded(starting) {
                // Recorded with the run's creation (createClaimedRun): nothing to write.
                changes = []
            }
            if !changes.isEmpty {
                if isFirstCommit, !starting.isEmpty, changes.allSatisfy(Self.isStart) {
                    // The claim just made this worker the run's holder, so the first steps'
                    // start is written while they begin instead of before: one durable write
                    // less per run on the path to its end. Nothing later is committed (and no
                    // result recorded) until this write succeeded; if it fails, the run is
                    // abandoned and its steps cancelled, as when a later commit fails.
                    let (first, store, owner, now) = (changes, store, dependencies.owner, dependencies.clock.now())
                    pendingStart = Task { try await store.commit(first, owner: owner, now: now) }
                } else {
                    try await store.commit(changes, owner: dependencies.owner, now: dependencies.clock.now())
                }
                changes = []
            }
            isFirstCommit = false
            for id in starting {
                startTimes[id] = .now
                let runner = StepRunner(run: run, workflow: workflow, step: workflow.step(id)!, dependencies: dependencies,
                                        context: state.context, storedWakeAt: state.waits[id],
                                        deliveredEvent: state.deliveredEvents[id],
                                        finishedItems: state.items[id] ?? [:], storedAttempts: state.attemptCounts)
                tasks[id] = Task {
                    let outcome = await runner.run()
                    continuation.yield(.step(id, outcome))
                }
            }
            guard let event = await iterator.next() else { return .abandoned("the run's event stream ended") }
            if let pending = pendingStart {
                pendingStart = nil
                try await pending.value
            }
            actions = []
            switch event {
            case .abandoned(let reason):
                return .abandoned(reason)
            case .timedOut:
                let message = "the run exceeded its timeout of \(DurationText.format(workflow.timeout ?? .zero))"
                state.failRun(StepFailure(code: "run_timeout", message: message), step: nil)
                actions = machine.fail()
            case .step(let id, let outcome):
                tasks[id] = nil
                report(id, outcome, since: startTimes[id])
                switch outcome {
                case .parked(let wakeAt, let event):
                    parked[id] = wakeAt
                    changes.append(.stepWaiting(runID: run.id, step: StepKey(id), wakeAt: wakeAt, event: event))
                case .succeeded(let output, let attempts):
                    state.record(id, status: .succeeded, output: output, error: nil, attempts: max(1, attempts.count))
                    changes.append(.stepFinished(runID: run.id, step: StepKey(id), status: .succeeded,
                                                 output: output.map { redact($0.serialized()) },
                                                 attempts: ownAttempts(id, attempts)))
                    actions = machine.stepFinished(id, .succeeded)
                case .skipped:
                    state.record(id, status: .skipped, output: nil, error: nil, attempts: 0)
                    changes.append(.stepFinished(runID: run.id, step: StepKey(id), status: .skipped))
                    actions = machine.stepFinished(id, .skipped)
                case .cancelled:
                    state.record(id, status: .cancelled, output: nil, error: nil, attempts: 0)
                    changes.append(.stepFinished(runID: run.id, step: StepKey(id), status: .cancelled))
                    actions = machine.stepFinished(id, .cancelled)
                case .failed(let failure, let attempts, let endsRun):
                    state.record(id, status: .failed, output: nil, error: failure.json, attempts: max(1, attempts.count))
                    changes.append(.stepFinished(runID: run.id, step: StepKey(id), status: .failed,
                                                 error: redact(failure.json.serialized()), attempts: ownAttempts(id, attempts)))
                    let step = workflow.step(id)!
                    let isMain = workflow.steps.contains { $0.id == id }
                    if isMain && (step.onError == .fail || endsRun) {
                        state.failRun(failure, step: id)
                    }
                    actions = endsRun ? machine.stepFinished(id, .failed) + machine.fail() : machine.stepFinished(id, .failed)
                }
            }
        }
    }

    /// Whether `starting` are exactly the steps recorded as started when the run was created.
    private func startingAlreadyRecorded(_ starting: [String]) -> Bool {
        !startedSteps.isEmpty && Set(starting) == startedSteps
    }

    private func report(_ id: String, _ outcome: StepOutcome, since start: ContinuousClock.Instant?) {
        guard let observer = dependencies.observer else { return }
        let duration = start.map { ContinuousClock.now - $0 } ?? .zero
        var report = StepReport(runID: run.id, workflow: workflow.name, stepID: id, status: "", duration: duration, attempts: 0, error: nil)
        report.action = workflow.step(id)?.action.kind ?? ""
        switch outcome {
        case .succeeded(let output, let attempts):
            report.status = "succeeded"; report.attempts = max(1, attempts.count); report.output = output
        case .failed(let failure, let attempts, _):
            report.status = "failed"; report.attempts = max(1, attempts.count); report.error = redact(failure.message)
        case .skipped: report.status = "skipped"
        case .cancelled: report.status = "cancelled"
        case .parked: report.status = "waiting"
        }
        observer(report)
    }

    /// The reason given when a shutdown gave the run back to the queue.
    static let releasedForShutdown = "released for shutdown"

    static func isStart(_ change: RunChange) -> Bool {
        if case .stepStarted = change { return true }
        return false
    }

    static func node(_ step: Step) -> RunStateMachine.Node {
        RunStateMachine.Node(id: step.id, dependencies: step.dependencies, continuesOnError: step.onError == .continue)
    }

    /// The attempts to store under the step's own key, redacted. A `for_each` step's attempts
    /// were stored with each item (under `step[index]`); all numbered from 1, they would
    /// overwrite one another under the step's key and leave one item's attempt as the step's.
    private func ownAttempts(_ id: String, _ attempts: [NewAttempt]) -> [NewAttempt] {
        workflow.step(id)?.forEach == nil ? attempts.map(redact) : []
    }

    // MARK: Redaction

    private func redact(_ text: String) -> String {
        dependencies.redactor.redact(text)
    }

    private func redact(_ attempt: NewAttempt) -> NewAttempt {
        dependencies.redactor.redact(attempt)
    }
}

extension Duration {
    /// The duration in seconds as a `TimeInterval`.
    var timeInterval: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}

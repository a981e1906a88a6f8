import BatonCore
import BatonStore
import Foundation
import JSONata
import OrderedCollections

/// Runs one step of a run: its `if`, its `for_each` items, and its action with retries.
struct StepRunner: Sendable {
    let run: Run
    let workflow: Workflow
    let step: Step
    let dependencies: ExecutorDependencies
    let context: ExpressionContext
    /// When this step parked before, the time it is due.
    let storedWakeAt: Date?
    /// The event delivered to this `wait_for` step while its run was parked.
    var deliveredEvent: JSONValue? = nil
    /// for_each items finished in an earlier execution of this run.
    let finishedItems: [Int: StepExecution]
    /// Attempts stored by earlier executions of this run, by step and item.
    var storedAttempts: [StepKey: Int] = [:]

    func run() async -> StepOutcome {
        let base = context.value()
        if let condition = step.condition {
            do {
                let value = try condition.evaluate(in: base)
                if !JSONataTruth.isTruthy(value) { return .skipped }
            } catch {
                return .failed(expressionFailure(error, what: "if"), attempts: [], endsRun: false)
            }
        }
        if let forEach = step.forEach {
            return await runItems(forEach, base: base)
        }
        return await perform(context: base, index: nil)
    }

    // MARK: for_each

    private func runItems(_ forEach: Step.ForEach, base: JSONValue) async -> StepOutcome {
        let items: [JSONValue]
        do {
            switch try forEach.items.evaluate(in: base) {
            case nil: items = []
            case .array(let array)?: items = array
            case let single?: items = [single]
            }
        } catch {
            return .failed(expressionFailure(error, what: "for_each"), attempts: [], endsRun: false)
        }
        var outputs = [JSONValue?](repeating: nil, count: items.count)
        var attempts: [NewAttempt] = []
        var firstFailure: (Int, StepFailure)? = nil
        var parkedUntil: Date? = nil
        var nextIndex = 0
        await withTaskGroup(of: (Int, StepOutcome).self) { group in
            func startNext() -> Bool {
                while nextIndex < items.count {
                    let index = nextIndex
                    nextIndex += 1
                    if let done = finishedItems[index] {
                        outputs[index] = done.output.flatMap { try? JSONValue(parsing: $0) } ?? .null
                        continue
                    }
                    let itemContext = context.value(item: items[index], index: index)
                    let item = items[index]
                    group.addTask { (index, await self.performItem(index: index, item: item, context: itemContext)) }
                    return true
                }
                return false
            }
            var running = 0
            while running < forEach.concurrency, startNext() { running += 1 }
            while let (index, outcome) = await group.next() {
                running -= 1
                switch outcome {
                case .succeeded(let output, let itemAttempts):
                    outputs[index] = output ?? .null
                    attempts += itemAttempts
                case .failed(let failure, let itemAttempts, _):
                    attempts += itemAttempts
                    if firstFailure == nil { firstFailure = (index, failure) }
                    group.cancelAll()
                case .parked(let wakeAt, _):
                    // The item goes on later (a child run still going, a long wait): the step
                    // parks until the earliest such item is due, then runs again, skipping the
                    // items already finished.
                    parkedUntil = min(parkedUntil ?? wakeAt, wakeAt)
                case .cancelled, .skipped:
                    if firstFailure == nil && Task.isCancelled { firstFailure = (index, Self.cancelledFailure) }
                }
                if firstFailure == nil, !Task.isCancelled, startNext() { running += 1 }
            }
        }
        if Task.isCancelled { return .cancelled }
        if let (index, failure) = firstFailure {
            var itemFailure = failure
            itemFailure.message = "item \(index): \(failure.message)"
            itemFailure.details["index"] = .number(Double(index))
            return .failed(itemFailure, attempts: attempts, endsRun: false)
        }
        if let parkedUntil { return .parked(wakeAt: parkedUntil) }
        return .succeeded(.array(outputs.map { $0 ?? .null }), attempts: attempts)
    }

    /// One item, recorded under its own key so a resumed run skips the items already done.
    private func performItem(index: Int, item: JSONValue, context: JSONValue) async -> StepOutcome {
        let key = StepKey(step.id, item: index)
        let outcome = await perform(context: context, index: index)
        let change: RunChange
        switch outcome {
        case .succeeded(let output, let attempts):
            change = .stepFinished(runID: run.id, step: key, status: .succeeded,
                                   output: output.map { redact($0.serialized()) }, attempts: attempts.map(redact))
        case .failed(let failure, let attempts, _):
            change = .stepFinished(runID: run.id, step: key, status: .failed, error: redact(failure.json.serialized()),
                                   attempts: attempts.map(redact))
        default:
            return outcome
        }
        do {
            // The item is the execution's input, kept for the audit trail.
            let started = RunChange.stepStarted(runID: run.id, step: key, input: redact(item.serialized()))
            try await dependencies.store.commit([started, change], owner: dependencies.owner,
                                                now: dependencies.clock.now())
        } catch {
            return .cancelled
        }
        return outcome
    }

    // MARK: The action

    private func perform(context: JSONValue, index: Int?) async -> StepOutcome {
        switch step.action {
        case .transform(let template):
            do {
                return .succeeded(try template.evaluate(in: context), attempts: [])
            } catch {
                return .failed(expressionFailure(error, what: "transform"), attempts: [], endsRun: false)
            }
        case .fail(let message):
            let text: String
            do {
                text = try message.evaluate(in: context).map(Template.text(of:)) ?? "the workflow failed"
            } catch {
                return .failed(expressionFailure(error, what: "fail"), attempts: [], endsRun: true)
            }
            return .failed(StepFailure(code: "fail", message: text), attempts: [], endsRun: true)
        case .wait(let wait):
            return await performWait(wait, context: context)
        case .respond(let respond):
            return evaluateRespond(respond, context: context)
        case .waitFor(let spec):
            return await performWaitFor(spec)
        case .workflow(let call):
            return await performSubWorkflow(call, context: context, index: index)
        case .http, .graphql, .soap:
            return await performRemote(context: context, index: index)
        }
    }

    private func performRemote(context: JSONValue, index: Int?) async -> StepOutcome {
        let policy = step.retry ?? .none
        let key = "\(run.id)-\(step.id)" + (index.map { "-\($0)" } ?? "")
        let timeout = step.timeout ?? Self.defaultTimeout
        var attempts: [NewAttempt] = []
        // After a restart, numbering goes on from the attempts already stored, and the step
        // gets what is left of its budget (at least one attempt: the one the restart cut short).
        let stepKey = StepKey(step.id, item: index)
        let first = (storedAttempts[stepKey] ?? 0) + 1
        let last = max(first, policy.attempts)
        for number in first...last {
            if Task.isCancelled { return .cancelled }
            let started = dependencies.clock.now()
            let clockStart = ContinuousClock.now
            let result = await dependencies.remote.call(step, context: context, idempotencyKey: key, timeout: timeout,
                                                        workflow: workflow, secrets: dependencies.environment.secretValues)
            var attempt = NewAttempt(number: number, startedAt: started, duration: ContinuousClock.now - clockStart,
                                     requestSummary: result.requestSummary, responseStatus: result.responseStatus,
                                     responseHeaders: result.responseHeaders, responseBody: result.responseBody)
            switch result.result {
            case .success(let output):
                attempts.append(attempt)
                return .succeeded(output, attempts: attempts)
            case .failure(let failure):
                attempt.error = failure.message
                attempts.append(attempt)
                if Task.isCancelled { return .cancelled }
                guard number < last, failure.retryable else {
                    return .failed(failure, attempts: attempts, endsRun: false)
                }
                // Stored before the backoff, so the audit keeps it (and the numbering goes on)
                // if this process dies before the step ends.
                do {
                    try await dependencies.store.commit([.attemptRecorded(runID: run.id, step: stepKey, attempt: redact(attempt))],
                                                        owner: dependencies.owner, now: dependencies.clock.now())
                } catch {
                    return .cancelled
                }
                let backoff = Backoff(strategy: policy.backoff == .exponential ? .exponential : .constant,
                                      initial: policy.initial, max: policy.max, jitter: policy.jitter)
                var generator = FractionGenerator(fraction: dependencies.random())
                var delay = backoff.delay(retry: number, using: &generator)
                // A Retry-After that asks for longer than the backoff wins.
                if let retryAfter = failure.retryAfter, retryAfter > delay { delay = retryAfter }
                do {
                    try await dependencies.clock.sleep(for: delay)
                } catch {
                    return .cancelled
                }
            }
        }
        return .failed(StepFailure(code: "retries_exhausted", message: "no attempt succeeded"), attempts: attempts, endsRun: false)
    }

    // MARK: Waits and responses

    private func performWait(_ wait: WaitSpec, context: JSONValue) async -> StepOutcome {
        let now = dependencies.clock.now()
        var wakeAt: Date
        if let storedWakeAt {
            wakeAt = storedWakeAt
        } else {
            switch wait {
            case .duration(let duration):
                wakeAt = now.addingTimeInterval(duration.timeInterval)
            case .until(let template):
                do {
                    switch try template.evaluate(in: context) {
                    case .string(let text)?:
                        guard let date = ISO8601Time.parse(text) else {
                            return .failed(StepFailure(code: "invalid_time",
                                                       message: "wait until '\(text)' is not an ISO 8601 time like 2026-12-01T09:00:00Z"),
                                           attempts: [], endsRun: false)
                        }
                        wakeAt = date
                    case .number(let millis)?:
                        wakeAt = Date(timeIntervalSince1970: millis / 1000)
                    case let other:
                        return .failed(StepFailure(code: "invalid_time",
                                                   message: "wait until needs an ISO 8601 time or epoch milliseconds, got \(other?.serialized() ?? "nothing")"),
                                       attempts: [], endsRun: false)
                    }
                } catch {
                    return .failed(expressionFailure(error, what: "wait until"), attempts: [], endsRun: false)
                }
            }
        }
        let remaining = wakeAt.timeIntervalSince(now)
        if remaining > dependencies.inProcessWaitLimit.timeInterval {
            return .parked(wakeAt: wakeAt)
        }
        if remaining > 0 {
            do { try await dependencies.clock.sleep(for: .seconds(remaining)) } catch { return .cancelled }
        }
        return .succeeded(.object(["waited_until": .string(ISO8601Time.format(wakeAt))]), attempts: [])
    }

    private func performWaitFor(_ spec: WaitForSpec) async -> StepOutcome {
        // Events arrive through `baton serve` (`POST /api/events/NAME` or the run's resume URL),
        // which stores the event as this step's output and wakes the run.
        if let deliveredEvent { return .succeeded(deliveredEvent, attempts: []) }
        let now = dependencies.clock.now()
        guard let timeout = spec.timeout else {
            // Without a timeout the run waits for the event alone.
            return .parked(wakeAt: storedWakeAt ?? Self.noTimeout, event: spec.event)
        }
        let wakeAt = storedWakeAt ?? now.addingTimeInterval(timeout.timeInterval)
        if wakeAt > now { return .parked(wakeAt: wakeAt, event: spec.event) }
        return .failed(StepFailure(code: "timeout", message: "no '\(spec.event)' event arrived within \(DurationText.format(timeout))"),
                       attempts: [], endsRun: false)
    }

    private func evaluateRespond(_ respond: RespondSpec, context: JSONValue) -> StepOutcome {
        do {
            var response: OrderedDictionary<String, JSONValue> = ["status": try respond.status.evaluate(in: context) ?? 200]
            var headers = OrderedDictionary<String, JSONValue>()
            for header in respond.headers {
                if let value = try header.value.evaluate(in: context) { headers[header.key] = .string(Template.text(of: value)) }
            }
            response["headers"] = .object(headers)
            if let body = respond.body { response["body"] = try body.evaluate(in: context) ?? .null }
            return .succeeded(.object(response), attempts: [])
        } catch {
            return .failed(expressionFailure(error, what: "respond"), attempts: [], endsRun: false)
        }
    }

    // MARK: Helpers

    static let defaultTimeout: Duration = .seconds(30)
    /// The wake time of a `wait_for` without a timeout: far enough never to come due.
    static let noTimeout = Date(timeIntervalSince1970: 32_503_680_000)  // 3000-01-01
    static let cancelledFailure = StepFailure(code: "cancelled", message: "the step was cancelled")

    private func redact(_ text: String) -> String {
        dependencies.redactor.redact(text)
    }

    private func redact(_ attempt: NewAttempt) -> NewAttempt {
        dependencies.redactor.redact(attempt)
    }

    private func expressionFailure(_ error: TemplateEvaluationError, what: String) -> StepFailure {
        StepFailure(code: "expression",
                    message: "\(what) of step '\(step.id)': \(error.underlying.code) \(error.underlying.message) (at \(error.location))",
                    details: ["expression": .string(error.source.trimmingCharacters(in: .whitespaces))])
    }
}

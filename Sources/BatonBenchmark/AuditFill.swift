import BatonStore
import Foundation

/// Fills a database with finished runs of 5 steps each, as a busy installation would have
/// after a month: 20 workflows, mostly webhooks, 8 % failed (the third step, after two
/// attempts), 2 % cancelled. Runs are written with ``SQLiteRunStore/importRuns(_:steps:attempts:)``
/// a batch of 10,000 per transaction on a store opened with synchronous=OFF, for the fill only.
struct AuditFill {
    /// How many runs.
    var runs: Int
    /// Runs per transaction.
    var batch = 10_000
    /// The newest run is created this long before the fill started; the oldest a month before that.
    var span: TimeInterval = 30 * 24 * 3600

    /// The number of workflows the runs are spread over.
    static let workflows = 20

    /// Writes the runs into `path` (a new file); reports progress every 100,000 runs.
    func fill(path: String, progress: (Int, Duration) -> Void) async throws {
        let store = try SQLiteRunStore(path: path, configuration: .init(synchronous: .off, maximumBatchSize: 1))
        var versions: [Int64] = []
        for index in 0..<Self.workflows {
            let name = Self.workflowName(index)
            let version = try await store.saveWorkflowVersion(name: name, hash: "bench-\(index)", source: "name: \(name)\n",
                                                              now: Date(timeIntervalSinceNow: -span))
            versions.append(version.id)
        }
        let newest = Date()
        let step = span / Double(max(1, runs))
        var generator = AuditRandom(seed: 42)
        let started = ContinuousClock.now
        var written = 0
        while written < runs {
            let count = min(batch, runs - written)
            var batchRuns: [Run] = [], steps: [StepExecution] = [], attempts: [Attempt] = []
            batchRuns.reserveCapacity(count)
            steps.reserveCapacity(count * 5)
            attempts.reserveCapacity(count * 6)
            for offset in 0..<count {
                let number = written + offset
                // Oldest first, so ids and times grow together as they do in production.
                let created = newest.addingTimeInterval(-span + Double(number) * step)
                let record = Self.record(number, created: created, versions: versions, generator: &generator)
                batchRuns.append(record.run)
                steps += record.steps
                attempts += record.attempts
            }
            try await store.importRuns(batchRuns, steps: steps, attempts: attempts)
            written += count
            if written % 100_000 == 0 || written == runs { progress(written, ContinuousClock.now - started) }
        }
    }

    static func workflowName(_ index: Int) -> String { String(format: "workflow-%02d", index) }

    /// One finished run with its steps and attempts.
    static func record(
        _ number: Int, created: Date, versions: [Int64], generator: inout AuditRandom
    ) -> (run: Run, steps: [StepExecution], attempts: [Attempt]) {
        let workflow = number % workflows
        let roll = number % 100
        let status: RunStatus = roll < 8 ? .failed : (roll < 10 ? .cancelled : .succeeded)
        let kind: TriggerKind = [.webhook, .webhook, .webhook, .schedule, .poll, .manual][number % 6]
        let id = RunID.make(now: created, using: &generator)
        let order = String(format: "ORD-%07d", number)
        let customer = String(format: "cust-%04d", number % 1000)
        let payload = #"{"kind":"\#(kind.rawValue)","method":"POST","path":"/hooks/orders","headers":{"content-type":"application/json","user-agent":"shop/2.1"},"body":{"order":"\#(order)","customer":"\#(customer)","amount":\#(number % 997).95,"currency":"EUR","items":[{"sku":"SKU-\#(number % 311)","qty":\#(1 + number % 3)}]}}"#
        var steps: [StepExecution] = []
        var attempts: [Attempt] = []
        var clock = created.addingTimeInterval(0.004)
        var runError: String? = nil
        for index in 0..<5 {
            let stepID = ["fetch", "enrich", "charge", "notify", "archive"][index]
            let key = StepKey(stepID)
            let failedHere = status == .failed && index == 2
            let notReached = (status == .failed && index > 2) || (status == .cancelled && index > 1)
            if notReached {
                steps.append(StepExecution(runID: id, key: key, status: status == .failed ? .skipped : .cancelled, input: nil,
                                           output: nil, error: nil, startedAt: nil, finishedAt: clock, wakeAt: nil,
                                           attemptCount: 0, updatedAt: clock))
                continue
            }
            let start = clock
            let tries = failedHere ? 2 : 1
            for attempt in 1...tries {
                let duration = Duration.milliseconds(20 + (number + index * 7 + attempt) % 180)
                let summary = #"{"method":"POST","url":"https://api.example.com/v1/\#(stepID)/\#(order)","headers":{"authorization":"[redacted]"},"body":"{\"order\":\"\#(order)\"}"}"#
                attempts.append(Attempt(runID: id, key: key, attempt: NewAttempt(
                    number: attempt, startedAt: clock, duration: duration, requestSummary: summary,
                    responseStatus: failedHere ? 502 : 200, responseHeaders: #"{"content-type":"application/json"}"#,
                    responseBody: failedHere ? "bad gateway" : nil, error: failedHere ? "HTTP 502 from api.example.com: bad gateway" : nil)))
                clock = clock.addingTimeInterval(Double(duration.components.attoseconds) / 1e18 + 0.002)
            }
            let error = failedHere ? #"{"code":"http_status","message":"HTTP 502 from https://api.example.com/v1/charge/\#(order): bad gateway","status":502}"# : nil
            if failedHere { runError = #"{"step":"charge","code":"http_status","message":"HTTP 502 from https://api.example.com/v1/charge/\#(order): bad gateway","status":502}"# }
            steps.append(StepExecution(
                runID: id, key: key, status: failedHere ? .failed : .succeeded,
                input: #"{"order":"\#(order)","customer":"\#(customer)"}"#,
                output: failedHere ? nil : #"{"status":200,"body":{"ok":true,"ref":"\#(stepID)-\#(number)"}}"#,
                error: error, startedAt: start, finishedAt: clock, wakeAt: nil, attemptCount: tries, updatedAt: clock))
        }
        let finished = clock
        let run = Run(
            id: id, workflowVersionID: versions[workflow], workflowName: workflowName(workflow), triggerKind: kind,
            triggerPayload: payload, inputs: "{}", idempotencyKey: nil, status: status,
            output: status == .succeeded ? #"{"ok":true,"ref":"archive-\#(number)"}"# : nil,
            error: status == .cancelled ? #"{"code":"cancelled","message":"cancelled by a user"}"# : runError,
            createdAt: created, startedAt: created.addingTimeInterval(0.002), finishedAt: finished, updatedAt: finished,
            wakeAt: nil, leaseOwner: nil, leaseExpiresAt: nil, heartbeatAt: nil, claimCount: 1)
        return (run, steps, attempts)
    }
}

/// A small deterministic generator (SplitMix64), so two fills make the same ids.
struct AuditRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

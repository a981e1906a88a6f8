import BatonCore
import BatonStore
import Foundation
import JSONata

/// Claims runnable runs from the store and executes them, keeping their leases alive.
///
/// Several workers, in one process or several sharing a database, never run the same run at
/// once: a run is executed only while its lease is held, and a run whose worker died is taken
/// over when its lease expires.
public struct Worker: Sendable {
    /// How the worker behaves.
    public struct Configuration: Sendable {
        /// The most runs executed at once.
        public var maxConcurrentRuns: Int
        /// How often to look for work when nothing wakes the worker earlier.
        public var pollInterval: Duration
        /// When the process shuts down (``ExecutorDependencies/drain``), how long runs in flight
        /// may take to finish their current steps before they are stopped and given back.
        public var gracePeriod: Duration
        /// The most runs of a workflow that may execute at once, by workflow name (asked at each claim).
        public var concurrencyLimits: @Sendable () async -> [String: Int]

        /// Creates a configuration.
        public init(maxConcurrentRuns: Int = 8, pollInterval: Duration = .milliseconds(200),
                    gracePeriod: Duration = .seconds(10),
                    concurrencyLimits: @escaping @Sendable () async -> [String: Int] = { [:] }) {
            self.maxConcurrentRuns = maxConcurrentRuns
            self.pollInterval = pollInterval
            self.gracePeriod = gracePeriod
            self.concurrencyLimits = concurrencyLimits
        }
    }

    let dependencies: ExecutorDependencies
    let configuration: Configuration
    /// Poked when there may be new work (a run created in this process, a run finished); ``ExecutorDependencies/workSignal``.
    public let signal: WorkSignal
    /// Runs this process created already claimed (`RunStore.createClaimedRun`), waiting to start.
    let adopted = AdoptedRuns()

    /// Creates a worker.
    public init(dependencies: ExecutorDependencies, configuration: Configuration = Configuration()) {
        self.dependencies = dependencies
        self.configuration = configuration
        self.signal = dependencies.workSignal
    }

    /// Works until `isDone` returns true (asked whenever the worker wakes) or the task is cancelled.
    public func run(until isDone: @escaping @Sendable () async throws -> Bool) async throws {
        let leases = LeaseKeeper()
        let heartbeat = Task { [dependencies] in
            while !Task.isCancelled {
                try? await dependencies.clock.sleep(for: dependencies.leaseDuration / 3)
                let ids = await leases.ids
                guard !ids.isEmpty, !Task.isCancelled else { continue }
                if let lost = try? await dependencies.store.heartbeat(owner: dependencies.owner, runIDs: ids,
                                                                       leaseDuration: dependencies.leaseDuration,
                                                                       now: dependencies.clock.now()) {
                    for id in lost { await leases.cancel(id) }
                }
            }
        }
        // One ticker wakes the loop every poll interval; a timeout per wait would leave a
        // sleeping timer behind at every wake-up (cancelled sleeps stay armed until due).
        let ticker = Task { [signal, configuration] in
            while !Task.isCancelled {
                try? await Task.sleep(for: configuration.pollInterval)
                await signal.wake()
            }
        }
        defer {
            heartbeat.cancel()
            ticker.cancel()
        }
        do {
            // A claim is a write; make one only when work may be waiting: at the start, when
            // told of new work, when the last claim filled every free slot (more may be queued),
            // and at least every poll interval (runs queued by other processes, timers now due).
            // A run of ours ending frees a slot but is no sign of queued work.
            var lastClaim: ContinuousClock.Instant? = nil
            var backlog = false
            var hinted = true
            while !Task.isCancelled {
                if try await isDone() { break }
                var capacity = configuration.maxConcurrentRuns - (await leases.count)
                // Runs created here already claimed go first: they cost no claim write.
                var claimed = await adopted.take()
                capacity -= claimed.count
                let pollDue = lastClaim.map { ContinuousClock.now - $0 >= configuration.pollInterval } ?? true
                var found = 0
                if capacity > 0, hinted || backlog || pollDue {
                    let runs = try await dependencies.store.claimRuns(owner: dependencies.owner, limit: capacity,
                                                                      leaseDuration: dependencies.leaseDuration,
                                                                      now: dependencies.clock.now(),
                                                                      concurrencyLimits: await configuration.concurrencyLimits())
                    lastClaim = .now
                    found = runs.count
                    backlog = found == capacity
                    claimed += runs.map { AdoptedRun(run: $0, startedSteps: []) }
                }
                for next in claimed {
                    // Held before its task starts, so a run that ends at once cannot be removed
                    // before it was added (and then count against capacity forever).
                    await leases.hold(next.run.id)
                    let task = Task { [dependencies, signal] in
                        await Self.execute(next.run, startedSteps: next.startedSteps, dependencies: dependencies)
                        await leases.remove(next.run.id)
                        await signal.slotFreed()
                    }
                    await leases.attach(next.run.id, task)
                }
                if found < capacity || capacity <= 0 {
                    hinted = await signal.wait()
                } else {
                    hinted = false
                }
            }
        } catch {
            await release(leases)
            throw error
        }
        if dependencies.drain.isDraining { await drain(leases) }
        await release(leases)
    }

    /// Waits, at most the grace period (checked at each run's end and each poll tick), for the
    /// runs in flight to finish their current steps (each then finishes, parks, or goes back
    /// to the queue by itself).
    private func drain(_ leases: LeaseKeeper) async {
        let deadline = ContinuousClock.now + configuration.gracePeriod
        while await leases.count > 0, ContinuousClock.now < deadline {
            _ = await signal.wait()
        }
    }

    /// Hands the worker a run this process created with `createClaimedRun` (owned by this
    /// worker's `owner`), to execute at once without claiming it again; `startedSteps` are
    /// the `startingSteps` recorded with it, which the execution then does not write again.
    public func adopt(_ run: Run, startedSteps: [StepKey] = []) async {
        await adopted.add(AdoptedRun(run: run, startedSteps: Set(startedSteps.map(\.stepID))))
        await signal.slotFreed()
    }

    /// Stops the runs still executing and gives them back (`queued`, claimable at once), so
    /// that a worker that stops (`baton run` once its own run is done, `--until-idle`) does not
    /// leave the runs it picked up held by a lease that only expires later.
    private func release(_ leases: LeaseKeeper) async {
        for (id, task) in await leases.cancelAll() {
            // Cancelled, the execution abandons the run without writing; wait for that first.
            await task.value
            // A run that finished or parked meanwhile is no longer held: nothing to give back.
            try? await dependencies.store.commit([.leaseReleased(runID: id)], owner: dependencies.owner,
                                                 now: dependencies.clock.now())
        }
    }

    /// Executes one claimed run; a run whose workflow version no longer loads fails with the reason.
    static func execute(_ run: Run, startedSteps: Set<String> = [], dependencies: ExecutorDependencies) async {
        let workflow: Workflow
        do {
            workflow = try await dependencies.catalog.workflow(version: run.workflowVersionID)
        } catch {
            let failure = StepFailure(code: "workflow", message: "workflow version \(run.workflowVersionID) cannot be loaded: \(error)")
            try? await dependencies.store.commit([.runFinished(runID: run.id, status: .failed, error: failure.json.serialized())],
                                                 owner: dependencies.owner, now: dependencies.clock.now())
            return
        }
        let ending = await RunExecution(run: run, workflow: workflow, dependencies: dependencies,
                                        startedSteps: startedSteps).execute()
        guard let observer = dependencies.runObserver else { return }
        let outcome: String
        switch ending {
        case .finished(let status): outcome = status.rawValue
        case .parked: outcome = "waiting"
        case .abandoned(let reason): outcome = reason == RunExecution.releasedForShutdown ? "released" : "abandoned"
        }
        observer(RunReport(runID: run.id, workflow: workflow.name, outcome: outcome))
    }
}

/// The runs a worker holds leases on, with the tasks to cancel when a lease is lost.
actor LeaseKeeper {
    /// Each held run's task, nil between ``hold(_:)`` and ``attach(_:_:)``.
    private var tasks: [String: Task<Void, Never>?] = [:]

    var ids: [String] { Array(tasks.keys) }
    var count: Int { tasks.count }

    /// Counts `id` as held before its task exists.
    func hold(_ id: String) { tasks[id] = .some(nil) }
    /// Gives a held run its task. A run no longer held ended already (cancelling its task is
    /// then harmless) or lost its lease meanwhile (its task must stop): cancel it either way.
    func attach(_ id: String, _ task: Task<Void, Never>) {
        guard tasks[id] != nil else {
            task.cancel()
            return
        }
        tasks[id] = task
    }
    func remove(_ id: String) { tasks[id] = nil }
    func cancel(_ id: String) { tasks.removeValue(forKey: id)??.cancel() }
    /// Cancels every run's task and forgets them; returns them, to wait for.
    @discardableResult
    func cancelAll() -> [(String, Task<Void, Never>)] {
        let cancelled = tasks.compactMap { id, task in task.map { (id, $0) } }
        for (_, task) in cancelled { task.cancel() }
        tasks = [:]
        return cancelled
    }
}

/// Wakes an idle worker early: when work may be waiting (a run created or queued in this
/// process), or when one of its runs ended and freed a slot.
public actor WorkSignal {
    private var waiter: CheckedContinuation<Void, Never>?
    private var pending = false
    private var workMayExist = false

    /// Creates a signal.
    public init() {}

    /// Tells the worker that new work may be waiting: it wakes and claims at once.
    public func notify() {
        workMayExist = true
        wake()
    }

    /// Wakes the worker because one of its runs ended; it claims only when work is known to be waiting.
    func slotFreed() {
        wake()
    }

    /// Wakes the worker without news of work (its poll tick).
    func wake() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            pending = true
        }
    }

    /// Waits for the next wake-up (a notification, a freed slot, the worker's poll tick);
    /// returns whether ``notify()`` was called since the last wait.
    func wait() async -> Bool {
        if !pending {
            await withCheckedContinuation { continuation in
                waiter = continuation
            }
        }
        pending = false
        defer { workMayExist = false }
        return workMayExist
    }
}

/// A run for the worker loop to start, with the steps already recorded as started (at creation).
struct AdoptedRun: Sendable {
    var run: Run
    var startedSteps: Set<String>
}

/// Runs created already claimed by this process, waiting for the worker loop to start them.
actor AdoptedRuns {
    private var runs: [AdoptedRun] = []

    func add(_ run: AdoptedRun) { runs.append(run) }

    func take() -> [AdoptedRun] {
        defer { runs = [] }
        return runs
    }
}

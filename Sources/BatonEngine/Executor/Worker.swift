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
    /// Poked when there may be new work (a run created in this process, a run finished).
    public let signal: WorkSignal
    /// Runs this process created already claimed (`RunStore.createClaimedRun`), waiting to start.
    let adopted = AdoptedRuns()

    /// Creates a worker.
    public init(dependencies: ExecutorDependencies, configuration: Configuration = Configuration(),
                signal: WorkSignal = WorkSignal()) {
        self.dependencies = dependencies
        self.configuration = configuration
        self.signal = signal
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
        defer { heartbeat.cancel() }
        do {
            while !Task.isCancelled {
                if try await isDone() { break }
                var capacity = configuration.maxConcurrentRuns - (await leases.count)
                // Runs created here already claimed go first: they cost no claim write.
                var claimed = await adopted.take()
                capacity -= claimed.count
                if capacity > 0 {
                    claimed += try await dependencies.store.claimRuns(owner: dependencies.owner, limit: capacity,
                                                                      leaseDuration: dependencies.leaseDuration,
                                                                      now: dependencies.clock.now(),
                                                                      concurrencyLimits: await configuration.concurrencyLimits())
                }
                for run in claimed {
                    let task = Task { [dependencies, signal] in
                        await Self.execute(run, dependencies: dependencies)
                        await leases.remove(run.id)
                        await signal.notify()
                    }
                    await leases.add(run.id, task)
                }
                if claimed.count < capacity || capacity <= 0 {
                    await signal.wait(upTo: configuration.pollInterval)
                }
            }
        } catch {
            await release(leases)
            throw error
        }
        if dependencies.drain.isDraining { await drain(leases) }
        await release(leases)
    }

    /// Waits, at most the grace period, for the runs in flight to finish their current steps
    /// (each then finishes, parks, or goes back to the queue by itself).
    private func drain(_ leases: LeaseKeeper) async {
        let deadline = ContinuousClock.now + configuration.gracePeriod
        while await leases.count > 0, ContinuousClock.now < deadline {
            await signal.wait(upTo: min(.milliseconds(50), deadline - ContinuousClock.now))
        }
    }

    /// Hands the worker a run this process created with `createClaimedRun` (owned by this
    /// worker's `owner`), to execute at once without claiming it again.
    public func adopt(_ run: Run) async {
        await adopted.add(run)
        await signal.notify()
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
    static func execute(_ run: Run, dependencies: ExecutorDependencies) async {
        let workflow: Workflow
        do {
            workflow = try await dependencies.catalog.workflow(version: run.workflowVersionID)
        } catch {
            let failure = StepFailure(code: "workflow", message: "workflow version \(run.workflowVersionID) cannot be loaded: \(error)")
            try? await dependencies.store.commit([.runFinished(runID: run.id, status: .failed, error: failure.json.serialized())],
                                                 owner: dependencies.owner, now: dependencies.clock.now())
            return
        }
        let ending = await RunExecution(run: run, workflow: workflow, dependencies: dependencies).execute()
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
    private var tasks: [String: Task<Void, Never>] = [:]

    var ids: [String] { Array(tasks.keys) }
    var count: Int { tasks.count }

    func add(_ id: String, _ task: Task<Void, Never>) { tasks[id] = task }
    func remove(_ id: String) { tasks[id] = nil }
    func cancel(_ id: String) { tasks.removeValue(forKey: id)?.cancel() }
    /// Cancels every run's task and forgets them; returns them, to wait for.
    @discardableResult
    func cancelAll() -> [(String, Task<Void, Never>)] {
        let cancelled = tasks.map { ($0.key, $0.value) }
        for task in tasks.values { task.cancel() }
        tasks = [:]
        return cancelled
    }
}

/// Wakes an idle worker early: when a run is created in this process, or one finishes.
public actor WorkSignal {
    private var waiter: CheckedContinuation<Void, Never>?
    private var pending = false

    /// Creates a signal.
    public init() {}

    /// Wakes the waiting worker, or makes its next wait return at once.
    public func notify() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            pending = true
        }
    }

    /// Waits for a notification, at most `limit`.
    func wait(upTo limit: Duration) async {
        if pending {
            pending = false
            return
        }
        let timeout = Task { [weak self] in
            try? await Task.sleep(for: limit)
            await self?.notify()
        }
        await withCheckedContinuation { continuation in
            waiter = continuation
        }
        timeout.cancel()
        pending = false
    }
}

/// Runs created already claimed by this process, waiting for the worker loop to start them.
actor AdoptedRuns {
    private var runs: [Run] = []

    func add(_ run: Run) { runs.append(run) }

    func take() -> [Run] {
        defer { runs = [] }
        return runs
    }
}

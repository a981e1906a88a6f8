import BatonCore
import BatonStore
import Foundation
import JSONata
import Synchronization

/// What running a workflow needs from outside: the store, remote calls, time, environment.
public struct ExecutorDependencies: Sendable {
    /// Where runs, steps and attempts are persisted.
    public var store: any RunStore
    /// Performs http, graphql and soap attempts.
    public var remote: any RemoteCalls
    /// The time source.
    public var clock: any WallClock
    /// The process environment and secrets.
    public let environment: RunEnvironment
    /// Masks the secrets of `environment`, and the tokens of ``connections``, in everything recorded.
    public private(set) var redactor: Redactor
    /// This worker's lease owner name (unique per process).
    public var owner: String
    /// How long a claimed run's lease lasts without a heartbeat.
    public var leaseDuration: Duration
    /// Waits at most this long run in process instead of parking the run.
    public var inProcessWaitLimit: Duration
    /// Random numbers in 0..<1, for backoff jitter.
    public var random: @Sendable () -> Double
    /// Told about each step as it finishes, for progress output.
    public var observer: (@Sendable (StepReport) -> Void)?
    /// Finds a workflow by name, for `workflow:` steps.
    public var resolveWorkflow: @Sendable (String) async -> Workflow?
    /// Saves workflow versions and loads stored ones.
    public var catalog: WorkflowCatalog
    /// Set when the process shuts down: runs stop starting steps and go back to the queue.
    public var drain: DrainSignal = DrainSignal()
    /// Wakes this process's ``Worker`` when a run is queued here (a sub-workflow's child run, a trigger's run).
    public var workSignal = WorkSignal()
    /// Told when this process stops executing a run (finished, parked, released or abandoned).
    public var runObserver: (@Sendable (RunReport) -> Void)? = nil
    /// The URL that resumes a run's `wait_for` step, shown to expressions as `run.resume_url`.
    public var resumeURL: (@Sendable (String) -> String)? = nil
    /// Keeps signed-in connections' tokens; pass the same one to ``HTTPStepCalls``. Setting it
    /// makes ``redactor`` mask every token it hands out.
    public var connections: (any ConnectionTokenProviding)? = nil {
        didSet { redactor = Redactor(secrets: environment.secretValues, live: connections?.liveSecrets) }
    }

    /// Creates the dependencies.
    public init(store: any RunStore, remote: any RemoteCalls, clock: any WallClock = SystemWallClock(),
                environment: RunEnvironment, owner: String, leaseDuration: Duration = .seconds(30),
                inProcessWaitLimit: Duration = .seconds(2), random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                observer: (@Sendable (StepReport) -> Void)? = nil,
                resolveWorkflow: @escaping @Sendable (String) async -> Workflow? = { _ in nil }) {
        self.store = store
        self.remote = remote
        self.clock = clock
        self.environment = environment
        self.redactor = Redactor(secrets: environment.secretValues)
        self.owner = owner
        self.leaseDuration = leaseDuration
        self.inProcessWaitLimit = inProcessWaitLimit
        self.random = random
        self.observer = observer
        self.resolveWorkflow = resolveWorkflow
        self.catalog = WorkflowCatalog(store: store)
    }
}

/// A step that just finished, for progress output.
public struct StepReport: Sendable {
    /// The run.
    public var runID: String
    /// The run's workflow.
    public var workflow: String
    /// The step.
    public var stepID: String
    /// `succeeded`, `failed`, `skipped`, `cancelled` or `waiting`.
    public var status: String
    /// How long it ran in this process.
    public var duration: Duration
    /// How many attempts it made.
    public var attempts: Int
    /// The error message, when it failed.
    public var error: String?
    /// The step's action kind (`http`, `respond`, ...).
    public var action: String = ""
    /// The step's output, when it succeeded (not redacted: keep it in memory only).
    public var output: JSONValue? = nil
}

/// A run this process stopped executing, for waiters and metrics.
public struct RunReport: Sendable {
    /// The run.
    public var runID: String
    /// The run's workflow.
    public var workflow: String
    /// How this process's execution ended: `succeeded`, `failed` or `cancelled` when the run
    /// finished, `waiting` when it parked, `released` or `abandoned` otherwise.
    public var outcome: String
}

/// Tells executions that the process is shutting down (see ``Worker/run(until:)``).
public final class DrainSignal: Sendable {
    private let state = Mutex(false)

    /// Creates a signal that is not set.
    public init() {}

    /// Whether shutdown began.
    public var isDraining: Bool { state.withLock { $0 } }

    /// Begins shutdown: executions finish their steps in flight and start no new ones.
    public func begin() { state.withLock { $0 = true } }
}

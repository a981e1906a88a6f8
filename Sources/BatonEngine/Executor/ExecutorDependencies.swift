import BatonCore
import BatonStore
import Foundation
import JSONata

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
    /// Masks the secrets of `environment` in everything recorded.
    public let redactor: Redactor
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
}

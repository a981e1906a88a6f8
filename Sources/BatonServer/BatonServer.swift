import AsyncHTTPClient
import BatonCore
import BatonEngine
import BatonStore
import Crypto
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `baton serve`: one process that serves every workflow of a folder on one database.
///
/// Its parts are services in one `ServiceGroup`: the HTTP server (webhooks, REST API, health,
/// metrics), the executor's worker, the scheduler, the poller and the folder watcher. On
/// SIGTERM or SIGINT the HTTP server stops accepting first, then the triggers stop, and the
/// worker lets steps in flight finish within the grace period and gives the rest back to the
/// queue: nothing is lost, another start resumes it.
public struct BatonServer: Sendable {
    let configuration: ServerConfiguration
    let store: any RunStore & TriggerStore
    let environment: RunEnvironment
    let httpClient: HTTPClient
    let clock: any WallClock
    let logger: Logger
    let owner: String
    let connections: ConnectionTokens?
    let onListening: @Sendable (String) async -> Void

    /// Creates a server; nothing happens until ``run()`` or ``makeServices()``.
    ///
    /// - Parameters:
    ///   - store: the database, shared with other processes through leases.
    ///   - environment: the process environment and secrets runs see.
    ///   - httpClient: the client for steps and polls (the caller owns its lifetime).
    ///   - clock: the time source of schedules, timers and leases.
    ///   - connections: keeps signed-in connections' tokens (nil: steps on such connections fail saying so).
    ///   - onListening: called with the server's URL once it accepts connections.
    public init(configuration: ServerConfiguration, store: any RunStore & TriggerStore, environment: RunEnvironment,
                httpClient: HTTPClient, clock: any WallClock = SystemWallClock(), logger: Logger,
                owner: String = "baton-serve-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))",
                connections: ConnectionTokens? = nil,
                onListening: @escaping @Sendable (String) async -> Void = { _ in }) {
        self.configuration = configuration
        self.store = store
        self.environment = environment
        self.httpClient = httpClient
        self.clock = clock
        self.logger = logger
        self.owner = owner
        self.connections = connections
        self.onListening = onListening
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully.
    public func run() async throws {
        let services = try await makeServices()
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger))
        try await group.run()
    }

    /// Builds the services (in start order; a `ServiceGroup` stops them in reverse), having
    /// loaded the workflows and set up the API token.
    public func makeServices() async throws -> [any Service] {
        let apiToken = try await resolveToken()
        let resumeKey = try await resolveResumeKey()
        let metrics = ServerMetrics()
        let waiters = RunWaiters()
        let http = HTTPStepCalls(client: StepHTTPClient(client: httpClient), connections: connections)
        let registryBox = RegistryBox()
        let stateBox = StateBox()

        var dependencies = ExecutorDependencies(
            store: store, remote: MeteredRemoteCalls(inner: http, metrics: metrics), clock: clock,
            environment: environment, owner: owner,
            observer: { report in
                metrics.stepFinished(duration: report.duration)
                if report.action == "respond", report.status == "succeeded", let output = report.output {
                    Task { await waiters.signal(report.runID, .responded(output)) }
                }
            },
            resolveWorkflow: { name in await registryBox.registry?.workflow(named: name)?.workflow })
        dependencies.runObserver = { report in
            if ["succeeded", "failed", "cancelled"].contains(report.outcome) {
                metrics.runFinished(workflow: report.workflow, status: report.outcome)
            }
            Task { await waiters.signal(report.runID, .ended(report.outcome)) }
        }
        let signal = dependencies.workSignal
        dependencies.resumeURL = { runID in stateBox.state?.resumeURL(runID) ?? "" }
        dependencies.connections = connections
        await connections?.observe { [logger] event in
            switch event {
            case .refreshed(let name, let expiresAt):
                logger.info("connection token refreshed", metadata: ["connection.name": "\(name)",
                                                                     "connection.expires_at": "\(expiresAt.map { ISO8601Time.format($0) } ?? "unknown")"])
            case .needsAttention(let name, let reason):
                logger.warning("connection '\(name)' needs attention: \(reason); run 'baton connect \(name)'",
                               metadata: ["connection.name": "\(name)"])
                ConnectionsRoutes.countRefreshFailure(metrics, connection: name)
            }
        }

        let registry = WorkflowRegistry(directory: configuration.workflowsDirectory, catalog: dependencies.catalog,
                                        logger: logger, now: { [clock] in clock.now() })
        registryBox.registry = registry
        let starter = RunStarter(store: store, signal: signal, metrics: metrics, clock: clock, logger: logger)
        let state = ServerState(configuration: configuration, store: store, registry: registry, dependencies: dependencies,
                                http: http, starter: starter, waiters: waiters, metrics: metrics, logger: logger,
                                apiToken: apiToken, resumeKey: resumeKey)
        stateBox.state = state
        await registry.scan()
        let count = await registry.all().count
        logger.info("serving \(count) workflow(s) from \(configuration.workflowsDirectory)")

        let worker = Worker(
            dependencies: dependencies,
            configuration: Worker.Configuration(
                maxConcurrentRuns: configuration.maxConcurrentRuns, gracePeriod: configuration.gracePeriod,
                concurrencyLimits: { await registry.concurrencyLimits }))
        let router = ServerRoutes(state: state).build()
        let responder = ServerResponder(state: state, router: router.buildResponder())
        let logger = logger, onListening = onListening
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "baton"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                let url = "http://\(configuration.host):\(port)"
                state.listening(at: url)
                logger.info("listening on \(url)")
                await onListening(url)
            },
            logger: logger)
        var services: [any Service] = [
            WorkerService(worker: worker, drain: dependencies.drain),
            Scheduler(state: state),
            Poller(state: state),
            ReloadService(registry: registry, interval: configuration.reloadInterval),
        ]
        if let retention = configuration.retention { services.append(RetentionService(state: state, retention: retention)) }
        return services + [app]
    }

    /// The API token: `BATON_API_TOKEN`, or the one stored in the database, created (and
    /// shown once) on the first start.
    private func resolveToken() async throws -> String {
        if let token = configuration.apiToken, !token.isEmpty { return token }
        let candidate = Self.randomText(bytes: 24)
        let token = try await store.insertSettingIfAbsent("api_token", value: candidate, now: clock.now())
        if token == candidate {
            _ = try await store.insertSettingIfAbsent("api_token_created_at", value: ISO8601Time.format(clock.now()), now: clock.now())
            logger.notice("created an API token for /api (shown only now; keep it, or set BATON_API_TOKEN): \(token)")
        } else {
            logger.info("the API under /api uses the token stored in the database (shown when it was created), or set BATON_API_TOKEN")
        }
        return token
    }

    private func resolveResumeKey() async throws -> SymmetricKey {
        let text = try await store.insertSettingIfAbsent("resume_key", value: Self.randomText(bytes: 32), now: clock.now())
        return SymmetricKey(data: Data(text.utf8))
    }

    /// URL-safe random text.
    static func randomText(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// Late-bound references for closures made before the objects they need exist.
final class RegistryBox: @unchecked Sendable {
    // Written once while the server is assembled, before any closure that reads it can run.
    var registry: WorkflowRegistry?
}

/// See ``RegistryBox``.
final class StateBox: @unchecked Sendable {
    var state: ServerState?
}

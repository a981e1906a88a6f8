import ArgumentParser
import AsyncHTTPClient
import BatonCore
import BatonEngine
import BatonServer
import BatonStore
import Foundation
import Logging
import ServiceLifecycle

/// `baton worker`: executes the unfinished runs of a database (queued, resumable after a crash,
/// or waiting for a timer), alone or beside other workers on the same file.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Execute the runs stored in a database: queued ones, ones left by a crashed process, and due waits.",
        discussion: """
            Several workers may share one database: each run is claimed with a lease that its worker \
            renews, and a run whose worker died is taken over once its lease expires.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Where sub-workflows named by 'workflow:' steps are found.")
    var workflows = "Workflows"

    @Option(help: "The most runs executed at once (1-1000).")
    var concurrency = 8

    @Option(help: "How long a claimed run's lease lasts without renewal, e.g. 30s.")
    var lease = "30s"

    @Flag(help: "Exit once no run is queued or running (runs waiting for a later time are left for later).")
    var untilIdle = false

    @Option(help: "How long steps in flight may take to finish after SIGTERM/SIGINT, e.g. 10s.")
    var grace = "10s"

    func validate() throws {
        guard (1...1000).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 1000") }
        guard (try? DurationText.parse(grace)) != nil else { throw ValidationError("--grace must be a duration like 10s") }
        guard let duration = try? DurationText.parse(lease), duration >= .milliseconds(500) else {
            throw ValidationError("--lease must be a duration of at least 500ms, like 30s")
        }
    }

    func run() async throws {
        let store = try database.openStore()
        let directories = [workflows]
        let connections = database.connectionTokens(store, owner: "baton-worker-\(ProcessInfo.processInfo.processIdentifier)")
        var dependencies = ExecutorDependencies(
            store: store, remote: HTTPStepCalls(client: StepHTTPClient(client: HTTPClient.shared), connections: connections),
            environment: try await database.runEnvironment(store),
            owner: "baton-worker-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))",
            leaseDuration: try DurationText.parse(lease),
            resolveWorkflow: { name in RunCommand.findWorkflow(named: name, in: directories) }
        )
        dependencies.connections = connections
        let worker = Worker(dependencies: dependencies,
                            configuration: .init(maxConcurrentRuns: concurrency, pollInterval: .milliseconds(100),
                                                 gracePeriod: try DurationText.parse(grace)))
        let idle = untilIdle
        // SIGTERM / SIGINT: steps in flight finish (within --grace), the rest go back to the queue.
        let service = WorkerService(worker: worker, drain: dependencies.drain) {
            guard idle else { return false }
            let active = try await store.countRuns(filter: RunFilter(statuses: [.queued, .running]))
            guard active == 0 else { return false }
            // A waiting run whose time has come is work to do now, not a run for later.
            guard let wake = try await store.nextWakeTime() else { return true }
            return wake > Date()
        }
        var logger = Logger(label: "baton-worker")
        logger.logLevel = .warning
        // The worker ending by itself (--until-idle) is a normal end, not a failure of the group.
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

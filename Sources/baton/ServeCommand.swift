import ArgumentParser
import AsyncHTTPClient
import BatonCore
import BatonEngine
import BatonServer
import BatonStore
import Foundation
import Logging

/// `baton serve`: serves every workflow of a folder: webhooks, schedules, polls, the REST API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the workflows of a folder: webhooks, schedules, polls, events, the REST API and metrics.",
        discussion: """
            Changed, added and removed workflow files are picked up without a restart; an invalid file is \
            reported and its previous version keeps serving. SIGTERM or SIGINT stops accepting requests, \
            lets steps in flight finish within --grace, and leaves the rest to resume at the next start. \
            The REST API under /api needs 'Authorization: Bearer TOKEN': BATON_API_TOKEN, or a token the \
            first start creates, stores in the database and prints once.
            """
    )

    @Option(help: "The folder of workflow files to serve.")
    var workflows = "Workflows"

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port).")
    var port = 8080

    @Option(help: "The URL clients reach this server at, for status and resume URLs (default http://HOST:PORT).")
    var publicURL: String?

    @Option(help: "How long steps in flight may take to finish at shutdown, e.g. 10s.")
    var grace = "10s"

    @Option(help: "The most runs executed at once (1-1000).")
    var concurrency = 32

    @Option(help: "How often the workflows folder is checked for changes, e.g. 1s.")
    var reloadInterval = "1s"

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Option(help: "Prune runs that finished longer ago than this, once a day (e.g. 30d); by default runs are kept.")
    var retention: String?

    func validate() throws {
        var problems: [String] = []
        if !(0...65535).contains(port) { problems.append("--port must be between 0 and 65535") }
        if !(1...1000).contains(concurrency) { problems.append("--concurrency must be between 1 and 1000") }
        if (try? DurationText.parse(grace)) == nil { problems.append("--grace must be a duration like 10s") }
        if ((try? DurationText.parse(reloadInterval)) ?? .zero) < .milliseconds(100) {
            problems.append("--reload-interval must be a duration of at least 100ms, like 1s")
        }
        if let retention, ((try? DurationText.parse(retention)) ?? .zero) < .seconds(60) {
            problems.append("--retention must be a duration of at least 1m, like 30d")
        }
        if Logger.Level(rawValue: logLevel) == nil {
            problems.append("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        if !problems.isEmpty { throw ValidationError(problems.joined(separator: "\n")) }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "baton")
        let store = try database.openStore()
        let environment = ProcessInfo.processInfo.environment
        var configuration = ServerConfiguration(
            host: host, port: port, workflowsDirectory: workflows, publicURL: publicURL,
            reloadInterval: try DurationText.parse(reloadInterval), gracePeriod: try DurationText.parse(grace),
            maxConcurrentRuns: concurrency, apiToken: environment["BATON_API_TOKEN"])
        configuration.retention = try retention.map { try DurationText.parse($0) }
        let server = BatonServer(configuration: configuration, store: store, environment: try await database.runEnvironment(store),
                                 httpClient: HTTPClient.shared, logger: logger,
                                 connections: database.connectionTokens(store, owner: "baton-serve-\(ProcessInfo.processInfo.processIdentifier)"))
        do {
            try await server.run()
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        logger.info("stopped")
    }
}

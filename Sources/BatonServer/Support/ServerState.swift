import BatonCore
import BatonEngine
import BatonStore
import Crypto
import Foundation
import JSONata
import Logging
import Synchronization

/// What the server's parts share: the store, the served workflows, the executor's
/// dependencies, metrics, the API token and the server's public URL.
final class ServerState: Sendable {
    let configuration: ServerConfiguration
    let store: any RunStore & TriggerStore
    let registry: WorkflowRegistry
    let dependencies: ExecutorDependencies
    /// Makes poll requests the way http steps make theirs.
    let http: HTTPStepCalls
    let starter: RunStarter
    let waiters: RunWaiters
    let metrics: ServerMetrics
    let logger: Logger
    let apiToken: String
    /// Signs resume URLs, so that only who was given a run's URL can resume it.
    let resumeKey: SymmetricKey
    private let boundURL = Mutex<String?>(nil)

    init(configuration: ServerConfiguration, store: any RunStore & TriggerStore, registry: WorkflowRegistry,
         dependencies: ExecutorDependencies, http: HTTPStepCalls, starter: RunStarter, waiters: RunWaiters, metrics: ServerMetrics,
         logger: Logger, apiToken: String, resumeKey: SymmetricKey) {
        self.configuration = configuration
        self.store = store
        self.registry = registry
        self.dependencies = dependencies
        self.http = http
        self.starter = starter
        self.waiters = waiters
        self.metrics = metrics
        self.logger = logger
        self.apiToken = apiToken
        self.resumeKey = resumeKey
    }

    var clock: any WallClock { dependencies.clock }

    /// The URL clients reach the server at: configured, or as bound once listening.
    var publicURL: String {
        if let configured = configuration.publicURL { return configured.hasSuffix("/") ? String(configured.dropLast()) : configured }
        return boundURL.withLock { $0 } ?? "http://\(configuration.host):\(configuration.port)"
    }

    /// Records the address the server listens on.
    func listening(at url: String) { boundURL.withLock { $0 = url } }

    /// Where a run's status can be read.
    func statusURL(_ runID: String) -> String { "\(publicURL)/api/runs/\(runID)" }

    /// The run's resume URL: `/resume/ID/SIGNATURE`, SIGNATURE an HMAC of the id.
    func resumeURL(_ runID: String) -> String { "\(publicURL)/resume/\(runID)/\(resumeSignature(runID))" }

    /// The signature of a run's resume URL.
    func resumeSignature(_ runID: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(runID.utf8), using: resumeKey)
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(32)
        for byte in mac.prefix(16) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The `env` and `secrets` a workflow's own settings see (webhook secrets, poll requests).
    func settingsContext(_ workflow: Workflow) throws -> (environment: RunEnvironment, value: JSONValue) {
        let environment = try dependencies.environment.applying(workflow.env)
        return (environment, .object(["env": .object(environment.env), "secrets": .object(environment.secrets)]))
    }
}

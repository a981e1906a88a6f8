import BatonCore
import BatonEngine
import Foundation
import Logging

/// The workflows `baton serve` serves, read from one folder and kept in step with it.
///
/// Each scan compares every file's content with what was loaded before. A changed or new file
/// is checked; when it is valid its workflow (re)places the one it served, when it is not, its
/// diagnostics are logged once and the previous version keeps serving. A removed file stops
/// its workflow. Every served version is saved in the store, so runs point at the exact text
/// that ran.
public actor WorkflowRegistry {
    /// What a file gave at its last scan.
    private struct FileState {
        var hash: String
        /// The workflow this file serves (possibly an older valid version of it), if any.
        var name: String?
    }

    /// The folder scanned.
    public nonisolated let directory: String
    private let catalog: WorkflowCatalog
    private let logger: Logger
    private let now: @Sendable () -> Date

    private var files: [String: FileState] = [:]
    private var served: [String: ServedWorkflow] = [:]
    private var routes: [String: WebhookRoute] = [:]
    private var missingDirectoryReported = false
    /// Whether the first scan completed.
    public private(set) var isLoaded = false
    /// Grows by one whenever the set of served workflows changes.
    public private(set) var generation = 0
    /// The most runs each limited workflow may execute at once, kept with the served set
    /// (the worker asks at every claim).
    public private(set) var concurrencyLimits: [String: Int] = [:]

    /// Creates a registry over `directory`; call ``scan()`` to load it.
    public init(directory: String, catalog: WorkflowCatalog, logger: Logger, now: @escaping @Sendable () -> Date) {
        self.directory = directory
        self.catalog = catalog
        self.logger = logger
        self.now = now
    }

    /// The served workflow with this name.
    public func workflow(named name: String) -> ServedWorkflow? { served[name] }

    /// Every served workflow, by name.
    public func all() -> [ServedWorkflow] { served.values.sorted { $0.name < $1.name } }

    /// The webhook trigger listening on `method` and `path`.
    public func webhook(method: String, path: String) -> WebhookRoute? { routes[Self.routeKey(method, path)] }

    /// Whether some webhook listens on `path` with another method (to answer 405, not 404).
    public func hasWebhook(path: String) -> Bool { routes.values.contains { $0.trigger.path == path } }

    /// Reads the folder and applies what changed; returns whether the served set changed.
    @discardableResult
    public func scan() async -> Bool {
        defer { isLoaded = true }
        let paths: [String]
        do {
            paths = try WorkflowLoader.workflowFiles(in: directory)
            missingDirectoryReported = false
        } catch {
            if !missingDirectoryReported {
                logger.error("cannot read the workflows folder \(directory): it is missing or unreadable; create it or pass --workflows DIR")
                missingDirectoryReported = true
            }
            paths = []
        }
        var changed = false
        for path in Set(files.keys).subtracting(paths).sorted() {
            if let name = files.removeValue(forKey: path)?.name, served[name]?.file == path {
                served[name] = nil
                logger.info("workflow '\(name)' removed: \(path) is gone")
                changed = true
            }
        }
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            let hash = WorkflowCatalog.hash(text)
            if files[path]?.hash == hash { continue }
            if await load(path: path, text: text, hash: hash) { changed = true }
        }
        if changed {
            rebuildRoutes()
            concurrencyLimits = served.values.reduce(into: [:]) { limits, entry in
                if let limit = entry.concurrencyLimit { limits[entry.name] = limit }
            }
            generation += 1
        }
        return changed
    }

    /// Checks one new or changed file; returns whether the served set changed.
    private func load(path: String, text: String, hash: String) async -> Bool {
        let previous = files[path]?.name
        let result = WorkflowLoader.load(text: text, file: path)
        guard let workflow = result.workflow else {
            files[path] = FileState(hash: hash, name: previous)
            let kept = previous.map { "; the previous version of '\($0)' keeps serving" } ?? "; it is not served"
            logger.error("\(path) is invalid\(kept)")
            for diagnostic in result.diagnostics { logger.error("\(diagnostic.description)") }
            return false
        }
        for warning in result.diagnostics { logger.warning("\(warning.description)") }
        if let owner = served[workflow.name], owner.file != path {
            files[path] = FileState(hash: hash, name: previous)
            logger.error("\(path) defines workflow '\(workflow.name)', which \(owner.file) already defines; rename one of them (the name: field or the file)")
            return false
        }
        let versionID: Int64
        do {
            versionID = try await catalog.save(workflow, now: now())
        } catch {
            logger.error("cannot store workflow '\(workflow.name)' from \(path): \(error); it will be retried at the next scan")
            return false
        }
        if let previous, previous != workflow.name, served[previous]?.file == path { served[previous] = nil }
        let entry = ServedWorkflow(workflow: workflow, versionID: versionID, file: path, loadedAt: now())
        served[workflow.name] = entry
        files[path] = FileState(hash: hash, name: workflow.name)
        logger.info("\(Self.describe(entry, now: now()))")
        return true
    }

    /// Maps every webhook path to its trigger; a path claimed twice keeps its first claimant.
    private func rebuildRoutes() {
        var fresh: [String: WebhookRoute] = [:]
        for entry in all() {
            for (index, trigger) in entry.workflow.triggers.enumerated() {
                guard case .webhook(let webhook) = trigger else { continue }
                let key = Self.routeKey(webhook.method, webhook.path)
                if Self.isReserved(webhook.path) {
                    logger.error("\(webhook.location): the webhook path \(webhook.path) is Baton's own (/api, /resume, /healthz, /readyz, /metrics, and the dashboard's /, /login, /logout, /runs, /static); choose another path, such as /hooks\(webhook.path)")
                    continue
                }
                if let taken = fresh[key] {
                    logger.error("\(webhook.location): \(webhook.method) \(webhook.path) is already the webhook of workflow '\(taken.served.name)'; this trigger is not served until one of them changes its path")
                    continue
                }
                fresh[key] = WebhookRoute(served: entry, index: index, trigger: webhook)
            }
        }
        routes = fresh
    }

    /// Paths the server itself answers, which no webhook may take: health, metrics, the API,
    /// resume URLs and the dashboard's pages.
    static func isReserved(_ path: String) -> Bool {
        ["/healthz", "/readyz", "/metrics"].contains(path) || Dashboard.exactPaths.contains(path)
            || ["/api", "/resume", DemoRoutes.prefix].contains { path == $0 || path.hasPrefix($0 + "/") }
            || Dashboard.pathPrefixes.contains { path.hasPrefix($0) }
    }

    private static func routeKey(_ method: String, _ path: String) -> String { "\(method.uppercased()) \(path)" }

    /// One log line: the workflow, its version, and each trigger with its next fire time.
    static func describe(_ entry: ServedWorkflow, now: Date) -> String {
        let triggers = entry.workflow.triggers.map { trigger -> String in
            switch trigger {
            case .webhook(let webhook): return "webhook \(webhook.method) \(webhook.path)"
            case .schedule(let schedule):
                let next = schedule.cron.next(after: now, in: schedule.timeZone).map { ISO8601Time.format($0) } ?? "never"
                return "schedule '\(schedule.cron.source)' \(schedule.timeZone.identifier), next \(next)"
            case .poll(let poll): return "poll every \(DurationText.format(poll.every))"
            case .manual: return "manual"
            }
        }
        let list = triggers.isEmpty ? "manual starts only" : triggers.joined(separator: "; ")
        return "workflow '\(entry.name)' loaded from \(entry.file) (version \(entry.versionID)): \(list)"
    }
}

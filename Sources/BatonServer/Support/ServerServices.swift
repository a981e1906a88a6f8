import BatonEngine
import Foundation
import Logging
import ServiceLifecycle

/// The executor as a service: claims and runs the queued runs of every served workflow. On
/// graceful shutdown it stops claiming, lets steps in flight finish within the grace period,
/// and gives the rest back to the queue for the next process.
public struct WorkerService: Service {
    let worker: Worker
    let drain: DrainSignal
    let isDone: @Sendable () async throws -> Bool

    /// Wraps `worker`, whose dependencies' ``ExecutorDependencies/drain`` is `drain`; it also
    /// stops when `isDone` returns true.
    public init(worker: Worker, drain: DrainSignal, isDone: @escaping @Sendable () async throws -> Bool = { false }) {
        self.worker = worker
        self.drain = drain
        self.isDone = isDone
    }

    /// Works until graceful shutdown (or `isDone`), then drains.
    public func run() async throws {
        let drain = drain, signal = worker.signal, isDone = isDone
        try await withGracefulShutdownHandler {
            try await worker.run { try await isDone() || drain.isDraining }
        } onGracefulShutdown: {
            drain.begin()
            Task { await signal.notify() }
        }
    }
}

/// Re-reads the workflows folder every interval, so that changes are served without a restart.
struct ReloadService: Service {
    let registry: WorkflowRegistry
    let interval: Duration

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
            if Task.isShuttingDownGracefully { break }
            await registry.scan()
        }
    }
}

// Short names in the service lifecycle's logs (the default would print every dependency).
extension WorkerService: CustomStringConvertible {
    /// A short name.
    public var description: String { "Worker" }
}

extension ReloadService: CustomStringConvertible {
    var description: String { "WorkflowReloader(\(registry.directory))" }
}

extension Scheduler: CustomStringConvertible {
    var description: String { "Scheduler" }
}

extension Poller: CustomStringConvertible {
    var description: String { "Poller" }
}

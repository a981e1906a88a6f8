import NIOCore
import NIOPosix

/// A lightweight HTTP/1.1 load client: `connections` keep-alive connections on one event-loop
/// thread (so that the client takes as little of the machine as it can), sending pre-encoded
/// requests; see ``LoadDriver`` for the closed and open loop.
struct HTTPLoad: Sendable {
    var host: String
    var port: Int
    var connections: Int
    /// Offered requests per second (open loop), or nil to send as fast as answers come back.
    var rate: Double?
    /// The longest the whole load may take; past it the load fails with what it has.
    var timeout: Duration

    /// What a load gave.
    struct Outcome: Sendable {
        /// Per request: latency (nil: no answer), status, and the answer's body.
        var latencies: [Duration?]
        var statuses: [Int]
        var bodies: [ByteBuffer?]
        /// From the first request to the last answer.
        var elapsed: Duration
        /// The client's own CPU time during the load.
        var clientCPU: Duration
    }

    /// Sends every request once and returns what came back.
    func run(_ requests: [ByteBuffer]) async throws -> Outcome {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let outcome = try await run(requests, on: group.next())
            try await group.shutdownGracefully()
            return outcome
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private func run(_ requests: [ByteBuffer], on loop: any EventLoop) async throws -> Outcome {
        let driver = LoadDriver(loop: loop, requests: requests, rate: rate)
        var channels: [any Channel] = []
        defer { for channel in channels { channel.close(promise: nil) } }
        for _ in 0..<connections {
            let channel = try await ClientBootstrap(group: loop)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connectTimeout(.seconds(5))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(LoadConnection(driver: driver)) }
                }
                .connect(host: host, port: port).get()
            channels.append(channel)
        }
        let cpuBefore = ProcessStatus.ownCPUTime
        let handlers = channels
        try await loop.submit {
            driver.start(try handlers.map { try $0.pipeline.syncOperations.handler(type: LoadConnection.self) })
        }.get()
        let timeout = loop.scheduleTask(in: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000)) {
            driver.failed(BenchmarkError("the load did not finish within \(self.timeout) (\(driver.completedCount) of \(requests.count) answered)"))
        }
        defer { timeout.cancel() }
        try await driver.finishedFuture.get()
        let cpu = ProcessStatus.ownCPUTime - cpuBefore
        return try await loop.submit {
            Outcome(latencies: driver.latencies.map { $0 == 0 ? nil : .nanoseconds(Int64($0)) },
                    statuses: driver.statuses, bodies: driver.bodies,
                    elapsed: .nanoseconds(Int64(driver.lastCompletion - driver.startTime)), clientCPU: cpu)
        }.get()
    }
}

import NIOCore

/// Hands requests to the load client's connections and records every answer.
///
/// Closed loop (no `rate`): each connection sends its next request as soon as its previous
/// answer arrives, so the rate found is the most the server gives at that concurrency.
/// Open loop (`rate`): request i is due at start + i/rate whatever the server does, waits for
/// an idle connection if none is free, and its latency counts from when it was due, so a
/// server that falls behind shows it in the latencies (no coordinated omission).
///
/// Every method runs on `loop`, the one thread of the client: no locks are needed, and the
/// class is `@unchecked Sendable` only to be handed to the channel initialiser.
final class LoadDriver: @unchecked Sendable {
    let loop: any EventLoop
    private let requests: [ByteBuffer]
    private let rate: Double?
    private let done: EventLoopPromise<Void>

    private var started: UInt64 = 0
    /// The next request not yet due (open loop) or not yet sent (closed loop).
    private var nextIndex = 0
    /// Due requests waiting for a connection (open loop), oldest first from `pendingHead`.
    private var pending: [Int] = []
    private var pendingHead = 0
    private var idle: [LoadConnection] = []
    private var ticker: RepeatedTask?
    private var finished = false

    private(set) var completedCount = 0
    private(set) var lastCompletion: UInt64 = 0
    /// Per request: latency in nanoseconds (0: no answer), status, and the answer's body.
    private(set) var latencies: [UInt64]
    private(set) var statuses: [Int]
    private(set) var bodies: [ByteBuffer?]

    init(loop: any EventLoop, requests: [ByteBuffer], rate: Double?) {
        self.loop = loop
        self.requests = requests
        self.rate = rate
        self.done = loop.makePromise()
        latencies = Array(repeating: 0, count: requests.count)
        statuses = Array(repeating: 0, count: requests.count)
        bodies = Array(repeating: nil, count: requests.count)
    }

    /// Completes when every request has its answer, or with the first failure.
    var finishedFuture: EventLoopFuture<Void> { done.futureResult }

    /// When the first request was due (monotonic nanoseconds).
    var startTime: UInt64 { started }

    /// Starts sending on `connections`; must run on `loop`.
    func start(_ connections: [LoadConnection]) {
        loop.preconditionInEventLoop()
        started = Self.now
        guard !requests.isEmpty else { return finish() }
        if let rate {
            idle = connections
            // Every millisecond, release the requests that fell due since the last tick.
            ticker = loop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(1)) { [self] _ in
                releaseDue(rate: rate)
            }
        } else {
            for connection in connections { sendNext(on: connection) }
        }
    }

    /// A connection got the answer to request `index`.
    func completed(_ connection: LoadConnection, index: Int, since: UInt64, status: Int, body: ByteBuffer) {
        guard !finished else { return }
        let now = Self.now
        latencies[index] = max(1, now - since)
        statuses[index] = status
        bodies[index] = body
        completedCount += 1
        lastCompletion = now
        if completedCount == requests.count { return finish() }
        sendNext(on: connection)
    }

    /// Ends the load with `error` (the first one wins).
    func failed(_ error: any Error) {
        guard !finished else { return }
        finished = true
        ticker?.cancel()
        done.fail(error)
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        ticker?.cancel()
        done.succeed()
    }

    private func sendNext(on connection: LoadConnection) {
        if rate != nil {
            guard pendingHead < pending.count else { return idle.append(connection) }
            let index = pending[pendingHead]
            pendingHead += 1
            connection.send(index, request: requests[index], since: dueTime(index))
        } else if nextIndex < requests.count {
            let index = nextIndex
            nextIndex += 1
            connection.send(index, request: requests[index], since: Self.now)
        }
    }

    private func releaseDue(rate: Double) {
        guard !finished else { return }
        let elapsed = Double(Self.now - started) / 1e9
        let due = min(requests.count, Int(elapsed * rate) + 1)
        while nextIndex < due {
            pending.append(nextIndex)
            nextIndex += 1
        }
        while pendingHead < pending.count, let connection = idle.popLast() {
            sendNext(on: connection)
        }
        if pendingHead > 4096, pendingHead * 2 > pending.count {
            pending.removeFirst(pendingHead)
            pendingHead = 0
        }
        if nextIndex == requests.count { ticker?.cancel(); ticker = nil }
    }

    /// The monotonic clock in nanoseconds, as NIO reads it.
    static var now: UInt64 { NIODeadline.now().uptimeNanoseconds }

    private func dueTime(_ index: Int) -> UInt64 {
        started + UInt64(Double(index) / (rate ?? 1) * 1e9)
    }
}

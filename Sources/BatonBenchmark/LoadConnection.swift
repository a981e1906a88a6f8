import NIOCore

/// One keep-alive connection of the load client: sends the request the driver gives it, reads
/// the response, reports it, and asks for the next. At most one request is in flight (no
/// pipelining), as with real webhook senders.
///
/// Lives on the driver's event loop, like the driver.
final class LoadConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let driver: LoadDriver
    private var context: ChannelHandlerContext?
    private var framer = ResponseFramer()
    /// The request in flight: its index and the time it counts from (monotonic nanoseconds).
    private var inFlight: (index: Int, since: UInt64)?

    init(driver: LoadDriver) {
        self.driver = driver
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Sends request `index`, whose latency counts from `since`.
    func send(_ index: Int, request: ByteBuffer, since: UInt64) {
        guard let context else { return driver.failed(BenchmarkError("a connection closed before its request \(index) was sent")) }
        inFlight = (index, since)
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        framer.append(&bytes)
        do {
            // Bounded by the bytes received: each turn consumes one whole response.
            while let response = try framer.next() {
                guard let (index, since) = inFlight else {
                    throw ResponseFramer.Malformed(description: "a response arrived with no request in flight")
                }
                inFlight = nil
                driver.completed(self, index: index, since: since, status: response.status, body: response.body)
            }
        } catch {
            driver.failed(error)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let (index, _) = inFlight {
            driver.failed(BenchmarkError("the server closed a connection while request \(index) was in flight"))
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        driver.failed(error)
        context.close(promise: nil)
    }
}

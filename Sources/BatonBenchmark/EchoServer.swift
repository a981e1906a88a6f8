import JSONata
import NIOCore
import NIOHTTP1
import NIOPosix

/// A local HTTP server that answers each `POST /step/N` at once with `{"value": value + N, "step": N}`,
/// so each step's answer depends on the request and the chain's final value proves every hop.
///
/// It stands in for a remote API, whose CPU would not be ours: a bare NIO HTTP/1.1 handler
/// that answers on the event loop, parsing and writing its little JSON with JSONValue, so
/// that it takes as little as it reasonably can of the two cores the executor is measured on.
enum EchoServer {
    /// Starts the server on 127.0.0.1 (a free port) in `group` and returns its port; cancelling the group closes it.
    static func start(in group: inout ThrowingTaskGroup<Void, any Error>) async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(EchoHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw BenchmarkError("the local server did not start") }
        group.addTask {
            try await withTaskCancellationHandler {
                try await channel.closeFuture.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        }
        return port
    }
}

/// Answers one request at a time on its connection (HTTP/1.1 keep-alive).
private final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var step = 0
    private var body = ByteBuffer()
    private var keepAlive = true

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            keepAlive = head.isKeepAlive
            step = head.uri.split(separator: "/").last.flatMap { Int($0) } ?? 0
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            let answer: HTTPResponseStatus, text: String
            if let input = try? JSONValue(parsing: Array(body.readableBytesView)), case .number(let value)? = input["value"] {
                let output: JSONValue = ["value": .number(value + Double(step)), "step": .number(Double(step))]
                (answer, text) = (.ok, output.serialized())
            } else {
                (answer, text) = (.badRequest, #"{"error":"expected a JSON object with a numeric value"}"#)
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(text.utf8.count))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: answer, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
            let keepAlive = self.keepAlive
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [context] _ in
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }
}

/// A benchmark failure with its reason.
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

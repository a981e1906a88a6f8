import Foundation
import Hummingbird
import JSONata
import Logging
import NIOCore
import Synchronization

/// A local HTTP server that answers each `POST /step/N` at once with `{"value": value + N, "step": N}`,
/// so each step's answer depends on the request and the chain's final value proves every hop.
struct EchoServer {
    /// Starts the server on 127.0.0.1 (a free port) in `group` and returns its port.
    ///
    /// It stands in for a remote API, whose CPU would not be ours: it parses and writes its
    /// little JSON with our own JSONValue rather than Foundation's coders, to take as little
    /// of the two cores the executor is measured on as it reasonably can.
    static func start(in group: inout ThrowingTaskGroup<Void, any Error>) async throws -> Int {
        let router = Router()
        router.post("/step/:n") { request, context -> Response in
            let step = try context.parameters.require("n", as: Int.self)
            let body = try await request.body.collect(upTo: 64 * 1024)
            guard let input = try? JSONValue(parsing: Array(body.readableBytesView)),
                  case .number(let value)? = input["value"] else {
                return Response(status: .badRequest)
            }
            let output: JSONValue = ["value": .number(value + Double(step)), "step": .number(Double(step))]
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: output.serialized())))
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "bench-server")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  continuation.yield(channel.localAddress?.port ?? 0)
                                  continuation.finish()
                              }, logger: logger)
        group.addTask { try await app.runService() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw BenchmarkError("the local server did not start") }
        return port
    }
}

/// A benchmark failure with its reason.
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

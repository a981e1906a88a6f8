import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A local HTTP server that answers each `POST /step/N` at once with `{"value": value + N, "step": N}`,
/// so each step's answer depends on the request and the chain's final value proves every hop.
struct EchoServer {
    struct Input: Decodable { var value: Int }
    struct Output: ResponseEncodable { var value: Int; var step: Int }

    /// Starts the server on 127.0.0.1 (a free port) in `group` and returns its port.
    static func start(in group: inout ThrowingTaskGroup<Void, any Error>) async throws -> Int {
        let router = Router()
        router.post("/step/:n") { request, context -> Output in
            let step = try context.parameters.require("n", as: Int.self)
            let input = try await request.decode(as: Input.self, context: context)
            return Output(value: input.value + step, step: step)
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

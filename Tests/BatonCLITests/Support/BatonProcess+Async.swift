import Foundation

extension BatonProcess {
    /// ``run(_:in:input:environment:timeout:)`` on a Dispatch thread: it blocks while the
    /// process runs, and on a cooperative thread it would stall the test's own HTTP server
    /// (and every other test) on a two-core machine.
    static func runAsync(_ arguments: [String], in directory: URL? = nil, input: String? = nil,
                         environment: [String: String] = [:], timeout: TimeInterval = 60) async throws -> Output {
        try await offPool { try run(arguments, in: directory, input: input, environment: environment, timeout: timeout) }
    }

    /// Runs blocking `work` on a Dispatch thread and waits for it without blocking.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}

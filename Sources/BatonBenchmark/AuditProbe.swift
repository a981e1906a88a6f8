import AsyncHTTPClient
import Foundation
import NIOCore

/// Times requests to the audit API one after another over a kept-alive connection, as a
/// person clicking through the dashboard would send them.
struct AuditProbe {
    let baseURL: String
    let token: String

    /// Latency percentiles of one kind of request.
    struct Latency {
        var name: String
        var samples: [Duration]
        var bytes: Int

        func percentile(_ fraction: Double) -> Duration {
            let sorted = samples.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
        }
    }

    /// One GET: its status, body size and time to the last byte.
    func get(_ path: String) async throws -> (status: Int, bytes: Int, elapsed: Duration, body: ByteBuffer) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let start = ContinuousClock.now
        let response = try await HTTPClient.shared.execute(request, timeout: .minutes(10))
        let body = try await response.body.collect(upTo: 1 << 30)
        return (Int(response.status.code), body.readableBytes, ContinuousClock.now - start, body)
    }

    /// `samples` timed GETs of the paths `path(i)` gives, after `warmup` untimed ones.
    func measure(_ name: String, samples: Int, warmup: Int = 10, _ path: (Int) -> String) async throws -> Latency {
        for index in 0..<warmup { _ = try await checked(path(index)) }
        var latency = Latency(name: name, samples: [], bytes: 0)
        for index in 0..<samples {
            let result = try await checked(path(warmup + index))
            latency.samples.append(result.elapsed)
            latency.bytes = max(latency.bytes, result.bytes)
        }
        return latency
    }

    /// A GET that must answer 200.
    func checked(_ path: String) async throws -> (status: Int, bytes: Int, elapsed: Duration, body: ByteBuffer) {
        let result = try await get(path)
        guard result.status == 200 else {
            throw BenchmarkError("GET \(path) answered \(result.status): \(String(buffer: result.body).prefix(500))")
        }
        return result
    }
}

extension Duration {
    /// Milliseconds with one decimal, for reports.
    var auditMilliseconds: String {
        String(format: "%.1f", Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15)
    }

    /// Seconds as a Double.
    var auditSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

import AsyncHTTPClient
import Foundation

/// The server's `baton_scheduler_lag_seconds` histogram, read from `/metrics`: how late each
/// slot's run was stored, as the server measured it (bucketed, so only bounds are known).
struct SchedulerLag: Sendable, CustomStringConvertible {
    /// Cumulative counts by upper bound (seconds), as Prometheus gives them.
    var buckets: [(bound: Double, count: Int)]

    /// Reads the histogram from the server at `url`.
    static func scrape(_ url: URL) async throws -> SchedulerLag {
        var request = HTTPClientRequest(url: url.appendingPathComponent("metrics").absoluteString)
        request.method = .GET
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let text = String(buffer: try await response.body.collect(upTo: 8 << 20))
        var buckets: [(Double, Int)] = []
        for line in text.split(separator: "\n") where line.hasPrefix("baton_scheduler_lag_seconds_bucket{") {
            guard let open = line.range(of: "le=\""), let close = line[open.upperBound...].firstIndex(of: "\""),
                  let count = line.split(separator: " ").last.flatMap({ Int(Double($0) ?? -1) }) else { continue }
            let bound = line[open.upperBound..<close] == "+Inf" ? Double.infinity : Double(line[open.upperBound..<close]) ?? .nan
            buckets.append((bound, count))
        }
        return SchedulerLag(buckets: buckets.sorted { $0.0 < $1.0 })
    }

    /// The counts recorded since `earlier`.
    func subtracting(_ earlier: SchedulerLag) -> SchedulerLag {
        let before = Dictionary(earlier.buckets.map { ($0.bound, $0.count) }, uniquingKeysWith: max)
        return SchedulerLag(buckets: buckets.map { ($0.bound, $0.count - (before[$0.bound] ?? 0)) })
    }

    /// The bucket bounds (seconds) between which the `fraction` quantile lies: (lower, upper].
    func quantile(_ fraction: Double) -> (lower: Double, upper: Double)? {
        guard let total = buckets.last?.count, total > 0 else { return nil }
        var lower = 0.0
        for bucket in buckets {
            if Double(bucket.count) >= fraction * Double(total) { return (lower, bucket.bound) }
            lower = bucket.bound
        }
        return nil
    }

    /// e.g. "12000 slots: <= 5 ms 10%, <= 10 ms 80%, ... <= 100 ms 100%"
    var description: String {
        guard let total = buckets.last?.count, total > 0 else { return "no slots recorded" }
        let shown = buckets.filter { $0.bound <= 1 }.map { bucket in
            String(format: "<= %.0f ms %.1f%%", bucket.bound * 1000, Double(bucket.count) * 100 / Double(total))
        }
        return "\(total) slots: " + shown.joined(separator: ", ")
    }
}

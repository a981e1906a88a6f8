import CoreMetrics
import Foundation
import Prometheus

/// The server's metrics, kept in its own Prometheus registry (not the process-wide
/// `MetricsSystem`), so that several servers in one process, as in tests, do not mix.
///
/// Names follow Prometheus conventions: `_total` counters, `_seconds` histograms.
public final class ServerMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let queueDepth: CoreMetrics.Gauge
    private let schedulerLag: CoreMetrics.Timer
    private let stepDuration: CoreMetrics.Timer

    /// Creates the metrics in a fresh registry.
    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let buckets: [Duration] = [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                   .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                   .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60)]
        factory.defaultDurationHistogramBuckets = buckets
        self.factory = factory
        queueDepth = CoreMetrics.Gauge(label: "baton_queue_depth", dimensions: [], factory: factory)
        schedulerLag = CoreMetrics.Timer(label: "baton_scheduler_lag_seconds", dimensions: [], factory: factory)
        stepDuration = CoreMetrics.Timer(label: "baton_step_duration_seconds", dimensions: [], factory: factory)
    }

    /// A run was created by a trigger.
    public func runStarted(workflow: String, trigger: String) {
        Counter(label: "baton_runs_started_total", dimensions: [("workflow", workflow), ("trigger", trigger)],
                factory: factory).increment()
    }

    /// A run finished (`succeeded`, `failed` or `cancelled`).
    public func runFinished(workflow: String, status: String) {
        let label = status == "succeeded" ? "baton_runs_succeeded_total"
            : status == "failed" ? "baton_runs_failed_total" : "baton_runs_cancelled_total"
        Counter(label: label, dimensions: [("workflow", workflow)], factory: factory).increment()
    }

    /// A step finished; its duration in this process goes into the histogram.
    public func stepFinished(duration: Duration) {
        stepDuration.recordNanoseconds(Int64(duration.components.seconds) * 1_000_000_000
                                       + duration.components.attoseconds / 1_000_000_000)
    }

    /// One HTTP attempt of a step: its status code, or `error` when no response came back.
    public func httpAttempt(status: Int?) {
        Counter(label: "baton_http_attempts_total", dimensions: [("status", status.map(String.init) ?? "error")],
                factory: factory).increment()
    }

    /// A webhook request and what became of it (`accepted`, `duplicate`, `unauthorized`, ...).
    public func webhook(outcome: String) {
        Counter(label: "baton_webhook_requests_total", dimensions: [("outcome", outcome)], factory: factory).increment()
    }

    /// A poll and what became of it (`ok`, `error`).
    public func poll(workflow: String, outcome: String) {
        Counter(label: "baton_polls_total", dimensions: [("workflow", workflow), ("outcome", outcome)],
                factory: factory).increment()
    }

    /// How late a schedule slot fired (from its time to its run being stored).
    public func scheduleFired(lateness: TimeInterval) {
        schedulerLag.recordNanoseconds(Int64(max(0, lateness) * 1e9))
    }

    /// Runs waiting to be claimed.
    public func setQueueDepth(_ depth: Int) {
        queueDepth.record(depth)
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> String {
        registry.emitToString()
    }
}

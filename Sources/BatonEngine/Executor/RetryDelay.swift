import BatonCore
import Foundation

/// Which failures are retried, and how long to wait before the next attempt.
enum RetryDelay {
    /// Whether `failure` matches the policy's `when` list (network, timeout, a status or class).
    static func shouldRetry(_ failure: StepFailure, status: Int?, policy: RetryPolicy) -> Bool {
        policy.when.contains { condition in
            switch condition {
            case .network: return failure.code == "network"
            case .timeout: return failure.code == "timeout"
            case .status(let code): return status == code
            case .statusClass(let digit): return status.map { $0 / 100 == digit } ?? false
            }
        }
    }

    /// The wait after attempt `number` (1-based): constant, or doubling from `initial` up to
    /// `max`; with jitter a uniform draw in [0, delay] ("full jitter"); never shorter than a
    /// `Retry-After` the server asked for.
    static func delay(afterAttempt number: Int, policy: RetryPolicy, retryAfter: Duration?, random: Double) -> Duration {
        var delay: Duration
        switch policy.backoff {
        case .constant:
            delay = policy.initial
        case .exponential:
            let factor = pow(2.0, Double(min(number - 1, 30)))
            delay = min(policy.max, .seconds(policy.initial.seconds * factor))
        }
        if policy.jitter { delay = .seconds(delay.seconds * min(max(random, 0), 1)) }
        if let retryAfter, retryAfter > delay { delay = retryAfter }
        return delay
    }
}

import BatonCore
import Foundation

/// How long to wait before the next attempt.
enum RetryDelay {
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
            delay = min(policy.max, .seconds(policy.initial.timeInterval * factor))
        }
        if policy.jitter { delay = .seconds(delay.timeInterval * min(max(random, 0), 1)) }
        if let retryAfter, retryAfter > delay { delay = retryAfter }
        return delay
    }
}

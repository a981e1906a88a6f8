/// One checked step of a workflow.
public struct Step: Sendable {
    /// What to do when the step fails for good.
    public enum OnError: String, Sendable, Hashable, CaseIterable {
        /// Fail the run (the default).
        case fail
        /// Record the failure and go on; dependants see `steps.X.status = "failed"`.
        case `continue`
    }

    /// The step's identifier: letters, digits and underscores, starting with a letter or underscore.
    public var id: String
    /// A display name for people.
    public var name: String?
    /// The steps that must finish before this one starts. Without `needs:` in the file, this is
    /// the previous step in file order.
    public var dependencies: [String]
    /// Whether `needs:` was written (a DAG step) rather than implied by file order.
    public var hasExplicitNeeds: Bool
    /// Skip the step unless this is truthy.
    public var condition: Template?
    /// Run the action once per item of this list, with `item` and `index` bound.
    public var forEach: ForEach?
    /// How failed attempts are retried.
    public var retry: RetryPolicy?
    /// A limit on one attempt.
    public var timeout: Duration?
    /// What a failure does to the run.
    public var onError: OnError
    /// A request budget for this step alone.
    public var rateLimit: RateLimit?
    /// What the step does.
    public var action: StepAction
    /// Where the step is declared (its `- ` entry).
    public var location: SourceLocation

    /// How a step iterates.
    public struct ForEach: Sendable {
        /// The list to iterate.
        public var items: Template
        /// How many items run at once.
        public var concurrency: Int
    }
}

/// How a step retries failed attempts.
public struct RetryPolicy: Sendable, Hashable {
    /// How the delay grows between attempts.
    public enum Backoff: String, Sendable, Hashable, CaseIterable {
        /// The same delay every time.
        case constant
        /// Doubling from `initial` up to `max`.
        case exponential
    }

    /// What a retry may be for; network errors, timeouts, 429 and 5xx unless the step says otherwise.
    public enum Condition: Sendable, Hashable {
        /// A connection failure (refused, reset, DNS).
        case network
        /// An attempt that exceeded its timeout.
        case timeout
        /// One HTTP status.
        case status(Int)
        /// A class of statuses: 4 for 4xx, 5 for 5xx.
        case statusClass(Int)
    }

    /// Total attempts, the first included.
    public var attempts: Int
    /// Delay growth.
    public var backoff: Backoff
    /// The first delay.
    public var initial: Duration
    /// The largest delay.
    public var max: Duration
    /// Whether to randomise each delay between zero and its value (full jitter).
    public var jitter: Bool
    /// What is retried.
    public var when: [Condition]

    /// The default conditions: network errors, timeouts, 429 and 5xx.
    public static let defaultConditions: [Condition] = [.network, .timeout, .status(429), .statusClass(5)]

    /// One attempt, no retry: what a step without `retry:` does.
    public static let none = RetryPolicy(attempts: 1, backoff: .constant, initial: .zero, max: .zero, jitter: false,
                                         when: defaultConditions)

    /// Creates a policy.
    public init(attempts: Int, backoff: Backoff, initial: Duration, max: Duration, jitter: Bool, when: [Condition]) {
        self.attempts = attempts
        self.backoff = backoff
        self.initial = initial
        self.max = max
        self.jitter = jitter
        self.when = when
    }
}

extension Step {
    /// A step that performs `action` once, with no retry, condition or iteration: how a poll
    /// trigger's request is run through the same machinery as an `http` step.
    public init(id: String, action: StepAction, location: SourceLocation) {
        self.init(id: id, name: nil, dependencies: [], hasExplicitNeeds: false, condition: nil, forEach: nil, retry: nil,
                  timeout: nil, onError: .fail, rateLimit: nil, action: action, location: location)
    }
}

import Foundation

/// Something that starts a run.
public enum Trigger: Sendable {
    /// An HTTP request to the workflow's webhook path.
    case webhook(WebhookTrigger)
    /// A cron schedule.
    case schedule(ScheduleTrigger)
    /// Periodic polling of an API, one run per new item.
    case poll(PollTrigger)
    /// A person or program starting a run by hand (CLI or API).
    case manual(location: SourceLocation)

    /// `webhook`, `schedule`, `poll` or `manual`.
    public var kind: String {
        switch self {
        case .webhook: return "webhook"
        case .schedule: return "schedule"
        case .poll: return "poll"
        case .manual: return "manual"
        }
    }

    /// Where the trigger is declared.
    public var location: SourceLocation {
        switch self {
        case .webhook(let trigger): return trigger.location
        case .schedule(let trigger): return trigger.location
        case .poll(let trigger): return trigger.location
        case .manual(let location): return location
        }
    }
}

/// A webhook trigger: an HTTP endpoint that starts a run for each accepted delivery.
public struct WebhookTrigger: Sendable {
    /// How a delivery proves it comes from the sender.
    public enum SignatureScheme: String, Sendable, Hashable, CaseIterable {
        /// `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`.
        case github
        /// `Stripe-Signature: t=<time>,v1=<hex HMAC-SHA256 of "t.body">`, within a tolerance.
        case stripe
        /// `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:timestamp:body">` with `X-Slack-Request-Timestamp`.
        case slack
        /// HMAC-SHA256 of the raw body in a header of your choice.
        case hmacSHA256 = "hmac-sha256"
        /// HMAC-SHA1 of the raw body in a header of your choice.
        case hmacSHA1 = "hmac-sha1"
        /// A static shared token in a header, compared in constant time.
        case token
    }

    /// How a signature is written in its header.
    public enum SignatureEncoding: String, Sendable, Hashable, CaseIterable {
        /// Lowercase or uppercase hexadecimal.
        case hex
        /// Standard base64.
        case base64
    }

    /// How the webhook answers.
    public enum ResponseMode: String, Sendable, Hashable, CaseIterable {
        /// 202 with the run id once the run is stored.
        case async
        /// Wait for the run and answer with what a `respond` step set, or the run's output.
        case sync
    }

    /// The URL path, starting with `/`.
    public var path: String
    /// The HTTP method (POST unless configured).
    public var method: String
    /// The shared secret (normally `${{ secrets.X }}`); nil when deliveries are not verified.
    public var secret: Template?
    /// The verification scheme, when `secret` is set.
    public var scheme: SignatureScheme?
    /// The header carrying the signature or token.
    public var signatureHeader: String?
    /// A prefix before the signature, such as `sha256=`.
    public var signaturePrefix: String?
    /// How the signature is encoded.
    public var signatureEncoding: SignatureEncoding
    /// How old a signed timestamp may be (Stripe, Slack).
    public var tolerance: Duration
    /// An expression over the delivery giving a key that dedupes repeated deliveries.
    public var idempotencyKey: Template?
    /// Answer at once or wait for the run.
    public var response: ResponseMode
    /// How long a sync response waits for the run.
    public var responseTimeout: Duration
    /// The largest body accepted, in bytes.
    public var maxBodyBytes: Int
    /// Where the trigger is declared.
    public var location: SourceLocation
}

/// A cron schedule in a timezone.
public struct ScheduleTrigger: Sendable {
    /// What happens to slots missed while Baton was down.
    public enum CatchUp: String, Sendable, Hashable, CaseIterable {
        /// Skip them.
        case none
        /// Fire once for the most recent missed slot.
        case latest
        /// Fire every missed slot, up to a cap.
        case all
    }

    /// The cron expression.
    public var cron: CronExpression
    /// The IANA timezone the expression is read in.
    public var timeZone: TimeZone
    /// Missed-slot policy.
    public var catchUp: CatchUp
    /// Where the trigger is declared.
    public var location: SourceLocation
}

/// Polls an API every interval and starts one run per item not seen before.
public struct PollTrigger: Sendable {
    /// How often to poll.
    public var every: Duration
    /// The request to make.
    public var request: HTTPRequestSpec
    /// An expression over `response` giving the list of items.
    public var items: Template
    /// An expression over `item` giving its unique key.
    public var key: Template
    /// Whether the first poll starts runs for what already exists (otherwise it only records it).
    public var fireOnStart: Bool
    /// Where the trigger is declared.
    public var location: SourceLocation
}

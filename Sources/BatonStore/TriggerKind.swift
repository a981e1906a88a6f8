/// What started a run.
public enum TriggerKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// An HTTP delivery to one of the workflow's webhook paths.
    case webhook
    /// A cron schedule fired.
    case schedule
    /// A poll trigger found a new item.
    case poll
    /// Started by hand (`baton run`, the REST API).
    case manual
    /// A retry of an earlier run (`baton runs retry`); the payload names the original run.
    case retry

    /// The raw value, as stored and as shown to users.
    public var description: String { rawValue }
}

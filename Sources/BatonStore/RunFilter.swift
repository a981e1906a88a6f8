import Foundation

/// Which runs an audit query looks at; every field left `nil` matches everything.
public struct RunFilter: Sendable, Hashable {
    /// Only runs of this workflow name (any version).
    public var workflowName: String?
    /// Only runs in one of these statuses.
    public var statuses: Set<RunStatus>?
    /// Only runs started by this kind of trigger.
    public var triggerKind: TriggerKind?
    /// Only runs created at or after this time.
    public var since: Date?
    /// Only runs created before this time.
    public var until: Date?
    /// Only runs whose trigger payload or error contains this text, ignoring the case of ASCII letters.
    ///
    /// No index serves it: a query with `text` reads runs newest first (narrowed by the other
    /// fields' indexes) until the page is full, so a text that few runs contain reads many.
    public var text: String?

    /// Describes a filter; `RunFilter()` matches every run.
    public init(
        workflowName: String? = nil, statuses: Set<RunStatus>? = nil, triggerKind: TriggerKind? = nil,
        since: Date? = nil, until: Date? = nil, text: String? = nil
    ) {
        self.workflowName = workflowName
        self.statuses = statuses
        self.triggerKind = triggerKind
        self.since = since
        self.until = until
        self.text = text
    }
}

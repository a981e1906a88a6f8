import BatonCore
import Foundation

/// A workflow `baton serve` is serving: the checked model, the stored version its runs point
/// at, and the file it came from.
public struct ServedWorkflow: Sendable {
    /// The checked workflow.
    public var workflow: Workflow
    /// The stored version (`workflow_versions.id`).
    public var versionID: Int64
    /// The file it was loaded from.
    public var file: String
    /// When this version started being served (schedules never fire for earlier slots).
    public var loadedAt: Date

    /// The workflow's name.
    public var name: String { workflow.name }

    /// The most runs of this workflow that may execute at once: its `concurrency`, or one at a
    /// time when `overlap: queue` asks runs to wait for the earlier ones.
    public var concurrencyLimit: Int? {
        workflow.concurrency ?? (workflow.overlap == .queue ? 1 : nil)
    }

    /// A key naming one of its triggers in stored state: `name#index`.
    public func triggerKey(_ index: Int) -> String { "\(workflow.name)#\(index)" }
}

/// Where a webhook delivery goes: the workflow and which of its triggers.
public struct WebhookRoute: Sendable {
    /// The workflow.
    public var served: ServedWorkflow
    /// The trigger's index in `workflow.triggers`.
    public var index: Int
    /// The trigger.
    public var trigger: WebhookTrigger
}

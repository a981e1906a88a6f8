import Foundation

// Fallbacks for drivers (and wrappers) that do not implement the audit requirements
// themselves; the SQLite store implements every one.
extension RunStore {
    /// Counts by paging through the runs created since `since` (a driver should count in its query language).
    public func runCounts(since: Date) async throws -> [String: [RunStatus: Int]] {
        var counts: [String: [RunStatus: Int]] = [:]
        var cursor: RunCursor? = nil
        repeat {
            let page = try await listRuns(filter: RunFilter(since: since), limit: 500, after: cursor)
            for run in page.runs { counts[run.workflowName, default: [:]][run.status, default: 0] += 1 }
            cursor = page.next
        } while cursor != nil
        return counts
    }

    /// Not supported by this driver: throws ``StoreError/invalidArgument(_:)``.
    public func latestWorkflowVersion(named name: String) async throws -> WorkflowVersion? {
        throw StoreError.invalidArgument(
            "this store cannot find workflow versions by name (looking for '\(name)'); replay the run on its original version")
    }

    /// Not supported by this driver: throws ``StoreError/invalidArgument(_:)``.
    public func createDerivedRun(
        _ new: NewRun, from originalID: String, kind: RunOrigin.Kind, carrying steps: Set<String>, now: Date
    ) async throws -> CreateRunResult {
        throw StoreError.invalidArgument(
            "this store cannot make a \(kind) of run \(originalID); use the SQLite store (baton --db FILE)")
    }

    /// No origins are recorded by this driver.
    public func lineage(runID: String) async throws -> RunLineage { RunLineage() }

    /// Nothing to reclaim for this driver.
    public func reclaimSpace() async throws -> SpaceReclaimed { SpaceReclaimed(bytesBefore: nil, bytesAfter: nil) }
}

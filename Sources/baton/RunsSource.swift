import BatonEngine
import Foundation
import JSONata

/// Where `baton runs` reads and changes runs: a database file (``LocalRunsSource``) or a
/// server's REST API (``RemoteRunsSource``). Both answer with the API's JSON, so that every
/// command prints the same thing either way. Failures are ``RunsFailure``s.
protocol RunsSource: Sendable {
    /// `GET /api/runs` with these query parameters: `{runs, next_cursor}`.
    func list(_ parameters: [(String, String)]) async throws -> JSONValue
    /// `GET /api/runs/{id}`: the run in full.
    func show(_ id: String) async throws -> JSONValue
    /// Starts a retry; returns the new (or still running earlier) run's id and whether it is new.
    func retry(_ id: String) async throws -> (runID: String, created: Bool)
    /// Starts a replay; returns the new run's id.
    func replay(_ id: String, version: RunOperations.ReplayVersion) async throws -> String
    /// Cancels a run; returns its summary.
    func cancel(_ id: String) async throws -> JSONValue
    /// Writes the matching runs to `output` as they are read; returns how many, when known.
    func export(_ parameters: [(String, String)], format: RunExport.Format, to output: FileHandle) async throws -> Int?
    /// Prunes the runs that finished more than `olderThan` ago: `{deleted, cutoff, bytes_before, bytes_after}`.
    func prune(olderThan: Duration) async throws -> JSONValue
    /// Waits until run `runID` ends (executing it here, for a database) and returns it in full;
    /// `progress` prints each step as it finishes (locally) or the status as it changes.
    func follow(_ runID: String, progress: Bool) async throws -> JSONValue
}

extension RunOperationError {
    /// The refusal as `baton runs` reports it: exit 1, every problem on its own line.
    var failure: RunsFailure {
        RunsFailure(exitCode: kind == .invalid ? 2 : 1, [message] + problems.map { "  \($0)" })
    }
}

import BatonEngine
import BatonStore
import Foundation
import Hummingbird

/// The run page's buttons: `POST /runs/ID/retry`, `/replay` and `/cancel`, already checked for
/// a session and its CSRF token. Each ends in a redirect to the run to look at next, with a
/// notice; a refusal (the run is not in a state for it) shows the run again with the reason.
struct RunActions: Sendable {
    let state: ServerState

    /// Does `action` to run `runID` through the same operations as the REST API and `baton runs`.
    func perform(_ action: String, runID: String, session: DashboardSessions.Session) async -> Response {
        let operations = state.runOperations
        do {
            switch action {
            case "retry":
                let result = try await operations.retry(runID: runID)
                state.announce(result)
                return DashboardResponse.redirect(to: DashboardURL.make(DashboardURL.run(result.run.id),
                                                                        [("done", "retried"), ("from", runID)]))
            case "replay":
                let run = try await operations.replay(runID: runID)
                state.announce(.created(run))
                return DashboardResponse.redirect(to: DashboardURL.make(DashboardURL.run(run.id), [("done", "replayed"), ("from", runID)]))
            case "cancel":
                _ = try await operations.cancel(runID: runID, reason: "cancelled from the dashboard")
                return DashboardResponse.redirect(to: DashboardURL.make(DashboardURL.run(runID), [("done", "cancelled")]))
            default:
                return DashboardResponse.page(.notFound, DashboardLayout.document(title: "Not found", session: session, content: """
                    <div class="problem" role="alert">There is no action '\(action)'; a run can be retried, replayed or cancelled.</div>
                    """))
            }
        } catch let refusal as RunOperationError {
            let status: HTTPResponse.Status = switch refusal.kind {
            case .notFound: .notFound
            case .conflict: .conflict
            case .invalid: .badRequest
            case .unavailable: .serviceUnavailable
            }
            let reason = ([refusal.message] + refusal.problems).joined(separator: "; ")
            return await refused(runID, "Nothing was done: \(reason)", session: session, status: status)
        } catch {
            return await refused(runID, "Nothing was done: \(error)", session: session, status: .serviceUnavailable)
        }
    }

    /// The run page again, with why the action did nothing.
    private func refused(_ runID: String, _ reason: String, session: DashboardSessions.Session,
                         status: HTTPResponse.Status = .conflict) async -> Response {
        await RunDetailPage(state: state).render(id: runID, session: session, notice: nil, problem: reason, status: status)
    }
}

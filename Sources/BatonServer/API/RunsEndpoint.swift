import BatonEngine
import BatonStore
import Foundation
import Hummingbird
import JSONata

/// `GET /api/runs` (a filtered page, newest first) and `GET /api/runs/{id}` (one run in full).
struct RunsEndpoint: Sendable {
    let state: ServerState

    func list(_ request: Request) async -> Response {
        let query: RunQuery
        do {
            query = try RunQuery.parse(request.queryPairs, purpose: .list, now: state.clock.now())
        } catch {
            return APIError.badQuery(error.messages)
        }
        do {
            let page = try await state.store.listRuns(filter: query.filter, limit: query.limit ?? RunQuery.defaultLimit,
                                                      after: query.cursor)
            return JSONResponse.make(.ok, [
                "runs": .array(page.runs.map { RunSummary.json($0) }),
                "next_cursor": page.next.map { .string($0.description) } ?? .null,
            ])
        } catch {
            return APIError.unavailable("listing runs", error)
        }
    }

    func show(_ id: String) async -> Response {
        do {
            guard let run = try await state.store.run(id: id) else {
                return JSONResponse.error(.notFound, code: "not_found", "no run with id '\(id)'; GET /api/runs lists them")
            }
            async let steps = state.store.steps(runID: id)
            async let attempts = state.store.attempts(runID: id)
            async let lineage = state.store.lineage(runID: id)
            return JSONResponse.make(.ok, RunDetail.json(run: run, steps: try await steps, attempts: try await attempts,
                                                         lineage: try await lineage))
        } catch {
            return APIError.unavailable("reading run \(id)", error)
        }
    }
}

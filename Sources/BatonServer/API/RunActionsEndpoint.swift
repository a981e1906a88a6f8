import BatonCore
import BatonEngine
import BatonStore
import Foundation
import Hummingbird
import JSONata
import OrderedCollections

/// `POST /api/runs/{id}/retry`, `/replay` (`?version=current|original`), `/cancel`, and
/// `POST /api/runs/prune?older_than=30d`.
struct RunActionsEndpoint: Sendable {
    let state: ServerState

    /// 201 with the new run; 200 with the earlier retry when one is still under way or succeeded.
    func retry(_ id: String) async -> Response {
        do {
            let result = try await state.runOperations.retry(runID: id)
            state.announce(result)
            return created(result.run, from: id, as: "retry_of", isNew: result.isCreated)
        } catch {
            return refusal(error)
        }
    }

    /// 201 with the new run.
    func replay(_ id: String, _ request: Request) async -> Response {
        var version = RunOperations.ReplayVersion.current
        for (name, value) in request.queryPairs {
            guard name == "version", let chosen = RunOperations.ReplayVersion(rawValue: value) else {
                return APIError.badQuery([name == "version"
                    ? "version '\(value)' is not a replay version; use current or original"
                    : "unknown parameter '\(name)'; use version"])
            }
            version = chosen
        }
        do {
            let run = try await state.runOperations.replay(runID: id, version: version)
            state.announce(.created(run))
            return created(run, from: id, as: "replay_of", isNew: true)
        } catch {
            return refusal(error)
        }
    }

    /// 200 with the cancelled run.
    func cancel(_ id: String) async -> Response {
        do {
            let run = try await state.runOperations.cancel(runID: id, reason: "cancelled through the API")
            return JSONResponse.make(.ok, RunSummary.json(run))
        } catch {
            return refusal(error)
        }
    }

    /// 200 with how many runs were deleted and the database's size before and after.
    func prune(_ request: Request) async -> Response {
        var olderThan: Duration? = nil
        var problems: [String] = []
        for (name, value) in request.queryPairs {
            if name == "older_than", let duration = try? DurationText.parse(value) {
                olderThan = duration
            } else {
                problems.append(name == "older_than"
                    ? "older_than '\(value)' is not a duration; write one like 30d, 12h or 90m"
                    : "unknown parameter '\(name)'; use older_than")
            }
        }
        if olderThan == nil, problems.isEmpty { problems.append("older_than is required, like ?older_than=30d") }
        guard let olderThan, problems.isEmpty else { return APIError.badQuery(problems) }
        let cutoff = state.clock.now().addingTimeInterval(-olderThan.timeIntervalValue)
        do {
            let result = try await state.runOperations.prune(finishedBefore: cutoff)
            state.logger.info("pruned runs", metadata: ["runs.deleted": "\(result.deleted)", "runs.cutoff": "\(ISO8601Time.format(cutoff))"])
            return JSONResponse.make(.ok, Self.json(result))
        } catch {
            return refusal(error)
        }
    }

    static func json(_ result: RunOperations.PruneResult) -> JSONValue {
        [
            "deleted": .number(Double(result.deleted)), "cutoff": .string(ISO8601Time.format(result.cutoff)),
            "bytes_before": result.space.bytesBefore.map { .number(Double($0)) } ?? .null,
            "bytes_after": result.space.bytesAfter.map { .number(Double($0)) } ?? .null,
        ]
    }

    private func created(_ run: Run, from original: String, as relation: String, isNew: Bool) -> Response {
        JSONResponse.make(isNew ? .created : .ok, [
            "run_id": .string(run.id), "status": .string(run.status.rawValue), relation: .string(original),
            "created": .bool(isNew), "status_url": .string(state.statusURL(run.id)),
        ])
    }

    private func refusal(_ error: any Error) -> Response {
        if let refused = error as? RunOperationError { return APIError.response(refused) }
        return APIError.unavailable("the operation", error)
    }
}

extension Duration {
    /// The duration in seconds, for `Date` arithmetic.
    var timeIntervalValue: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}

import BatonEngine
import BatonStore
import Foundation
import Hummingbird
import JSONata
import Prometheus

/// `GET /api/connections`: each connection the served workflows declare or the store holds,
/// its kind, whether it has a valid token, when it expires and why it needs attention. Never
/// a token.
struct ConnectionsRoutes: Sendable {
    let state: ServerState

    /// Adds the endpoint to `api` (the `/api` group, behind ``APIAuthMiddleware``).
    static func register(on api: RouterGroup<BasicRequestContext>, state: ServerState) {
        let routes = ConnectionsRoutes(state: state)
        api.get("connections") { _, _ in await routes.list() }
    }

    /// The statuses, for the endpoint and the dashboard.
    static func statuses(state: ServerState) async throws -> [ConnectionStatus] {
        let workflows = await state.registry.all().map(\.workflow)
        let records = try await (state.store as? any ConnectionStore)?.connectionStates() ?? []
        return ConnectionStatus.list(workflows: workflows, records: records, now: state.clock.now())
    }

    private func list() async -> Response {
        do {
            let statuses = try await Self.statuses(state: state)
            return JSONResponse.make(.ok, ["connections": .array(statuses.map(\.jsonValue))])
        } catch {
            return JSONResponse.error(.serviceUnavailable, code: "store", "reading the connections failed: \(error)")
        }
    }

    /// Counts a connection whose refresh failed for good, as
    /// `baton_connection_refresh_failures_total{connection="NAME"}`.
    static func countRefreshFailure(_ metrics: ServerMetrics, connection: String) {
        let descriptor = MetricNameDescriptor(namespace: "baton", subsystem: "connection", metricName: "refresh_failures", unitName: "total",
                                              helpText: "Connection refreshes that failed for good; the connection needs baton connect")
        metrics.registry.makeCounter(descriptor: descriptor, labels: [("connection", connection)]).increment()
    }
}

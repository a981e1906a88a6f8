import Hummingbird

/// The audit endpoints of the REST API, mounted on the token-protected `/api` group: workflows
/// with their recent counts, runs filtered and paged, one run in full, retry, replay, cancel,
/// prune and a streamed export.
struct AuditAPI: Sendable {
    let state: ServerState

    /// Adds the endpoints to `api` (the `/api` group, behind ``APIAuthMiddleware``).
    func register(on api: RouterGroup<BasicRequestContext>) {
        let runs = RunsEndpoint(state: state), actions = RunActionsEndpoint(state: state)
        api.get("workflows") { [state] _, _ in await WorkflowsEndpoint(state: state).list() }
        api.get("runs") { request, _ in await runs.list(request) }
        // Constant paths beside `runs/:id`: the router matches `export` and `prune` first.
        api.get("runs/export") { [state] request, _ in await RunExportEndpoint(state: state).export(request) }
        api.post("runs/prune") { request, _ in await actions.prune(request) }
        api.get("runs/:id") { _, context in await runs.show(context.parameters.get("id") ?? "") }
        api.post("runs/:id/retry") { _, context in await actions.retry(context.parameters.get("id") ?? "") }
        api.post("runs/:id/replay") { request, context in await actions.replay(context.parameters.get("id") ?? "", request) }
        api.post("runs/:id/cancel") { _, context in await actions.cancel(context.parameters.get("id") ?? "") }
    }
}

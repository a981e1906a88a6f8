import Foundation
import Hummingbird

/// The server's front door: a delivery to a served webhook path goes to the webhook ingress
/// (paths change with hot reload, so they are looked up per request), anything else to the
/// router of the server's own endpoints.
struct ServerResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == BasicRequestContext {
    let state: ServerState
    let router: Inner

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let path = request.uri.path
        if !WorkflowRegistry.isReserved(path) {
            if let route = await state.registry.webhook(method: request.method.rawValue, path: path) {
                return await WebhookIngress(state: state).handle(request, route: route)
            }
            if await state.registry.hasWebhook(path: path) {
                state.metrics.webhook(outcome: "method_not_allowed")
                return JSONResponse.error(.methodNotAllowed, code: "method_not_allowed",
                                          "this webhook does not accept \(request.method.rawValue)")
            }
        }
        return try await router.respond(to: request, context: context)
    }
}

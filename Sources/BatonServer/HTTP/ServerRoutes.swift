import BatonCore
import BatonEngine
import BatonStore
import Foundation
import Hummingbird
import JSONata
import OrderedCollections

/// The server's own endpoints: health, metrics, the REST API (behind the token; the audit part in
/// ``AuditAPI``) and resume URLs.
struct ServerRoutes: Sendable {
    let state: ServerState

    func build() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("healthz") { _, _ in JSONResponse.text(.ok, "ok\n") }
        router.get("readyz") { _, _ in await ready() }
        router.get("metrics") { _, _ in await metrics() }
        router.post("resume/:run/:signature") { request, context in
            await resume(request, run: context.parameters.get("run") ?? "", signature: context.parameters.get("signature") ?? "")
        }
        let api = router.group("api").add(middleware: APIAuthMiddleware<BasicRequestContext>(token: state.apiToken))
        AuditAPI(state: state).register(on: api)
        ConnectionsRoutes.register(on: api, state: state)
        api.post("workflows/:name/runs") { request, context in
            await startRun(request, name: context.parameters.get("name") ?? "")
        }
        api.post("events/:name") { request, context in
            await event(request, name: context.parameters.get("name") ?? "")
        }
        Dashboard(state: state).register(on: router)
        DemoRoutes(clock: state.clock).register(on: router)
        return router
    }

    // MARK: Health

    private func ready() async -> Response {
        var problems: [String] = []
        do { _ = try await state.store.setting("api_token_created_at") } catch { problems.append("database: \(error)") }
        if !(await state.registry.isLoaded) { problems.append("workflows: not loaded yet") }
        if problems.isEmpty { return JSONResponse.text(.ok, "ready\n") }
        return JSONResponse.text(.serviceUnavailable, problems.joined(separator: "\n") + "\n")
    }

    private func metrics() async -> Response {
        if let queued = try? await state.store.countRuns(filter: RunFilter(statuses: [.queued])) {
            state.metrics.setQueueDepth(queued)
        }
        return JSONResponse.text(.ok, state.metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }

    // MARK: Workflows and runs

    private func startRun(_ request: Request, name: String) async -> Response {
        guard let served = await state.registry.workflow(named: name) else {
            return JSONResponse.error(.notFound, code: "not_found", "no workflow named '\(name)' is served; GET /api/workflows lists them")
        }
        let inputs: JSONValue?
        do {
            let body = try await request.body.collect(upTo: 1 << 20)
            let text = String(buffer: body)
            inputs = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : try JSONValue(parsing: text)
        } catch {
            return JSONResponse.error(.badRequest, code: "body", "the body must be a JSON object of the workflow's inputs: \(error)")
        }
        let key = request.headers[.init("Idempotency-Key")!].map { "manual:\($0)" }
        do {
            let result = try await state.starter.start(served, kind: .manual, payload: ["kind": "manual"], inputs: inputs,
                                                       idempotencyKey: key)
            let run = result.run
            return JSONResponse.make(result.isCreated ? .created : .ok, [
                "run_id": .string(run.id), "status": .string(run.status.rawValue), "status_url": .string(state.statusURL(run.id)),
            ])
        } catch let problems as RunInputs.Problems {
            return JSONResponse.make(.badRequest, ["error": .object([
                "code": "inputs", "message": .string("the inputs do not fit workflow '\(name)'"),
                "problems": .array(problems.messages.map { .string($0) }),
            ])])
        } catch {
            return JSONResponse.error(.serviceUnavailable, code: "store", "the run could not be stored: \(error)")
        }
    }

    // MARK: Events

    private func event(_ request: Request, name: String) async -> Response {
        guard let payload = await readEvent(request) else {
            return JSONResponse.error(.badRequest, code: "body", "the event body must be JSON, a form or UTF-8 text, at most 1 MiB")
        }
        do {
            let deliveries = try await EventDelivery(dependencies: state.dependencies, triggers: state.store)
                .deliver(event: name, payload: payload)
            return JSONResponse.make(.ok, Self.summary(deliveries, event: name))
        } catch {
            return JSONResponse.error(.serviceUnavailable, code: "store", "the event could not be delivered: \(error)")
        }
    }

    private func resume(_ request: Request, run: String, signature: String) async -> Response {
        guard APIAuthMiddleware<BasicRequestContext>.equal(Array(signature.utf8), Array(state.resumeSignature(run).utf8)) else {
            return JSONResponse.error(.notFound, code: "not_found", "no such resume URL")
        }
        guard let payload = await readEvent(request) else {
            return JSONResponse.error(.badRequest, code: "body", "the body must be JSON, a form or UTF-8 text, at most 1 MiB")
        }
        do {
            let deliveries = try await EventDelivery(dependencies: state.dependencies, triggers: state.store)
                .deliver(toRun: run, payload: payload)
            if deliveries.isEmpty {
                return JSONResponse.error(.conflict, code: "not_waiting", "run \(run) is not waiting for an event")
            }
            return JSONResponse.make(.ok, Self.summary(deliveries, event: nil))
        } catch {
            return JSONResponse.error(.serviceUnavailable, code: "store", "the event could not be delivered: \(error)")
        }
    }

    private func readEvent(_ request: Request) async -> JSONValue? {
        guard var buffer = try? await request.body.collect(upTo: 1 << 20) else { return nil }
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        return try? WebhookBody.parse(body: bytes, contentType: request.headers[.contentType])
    }

    private static func summary(_ deliveries: [EventDelivery.Delivery], event: String?) -> JSONValue {
        var object = OrderedDictionary<String, JSONValue>()
        if let event { object["event"] = .string(event) }
        object["delivered"] = .array(deliveries.filter(\.delivered).map {
            .object(["run_id": .string($0.runID), "step": .string($0.stepID)])
        })
        object["not_matched"] = .number(Double(deliveries.filter { !$0.delivered && $0.problem == nil }.count))
        let problems = deliveries.compactMap { delivery in
            delivery.problem.map { JSONValue.object(["run_id": .string(delivery.runID), "step": .string(delivery.stepID), "message": .string($0)]) }
        }
        if !problems.isEmpty { object["problems"] = .array(problems) }
        return .object(object)
    }
}

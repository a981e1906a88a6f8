import BatonCore
import BatonEngine
import BatonStore
import Foundation
import HTTPTypes
import Hummingbird
import JSONata
import Logging
import NIOCore
import OrderedCollections

/// Turns webhook deliveries into runs: size limit, signature check, body parsing, idempotency,
/// then a durable run before the answer (202, or the run's own answer for `response: sync`).
struct WebhookIngress: Sendable {
    let state: ServerState

    func handle(_ request: Request, route: WebhookRoute) async -> Response {
        let trigger = route.trigger
        let workflow = route.served.workflow
        let logger = state.logger
        // Built only on the paths that log (a dictionary and two strings per delivery otherwise).
        var metadata: Logger.Metadata { ["workflow.name": "\(workflow.name)", "webhook.path": "\(trigger.path)"] }

        // 1. Size: refuse at once when the declared length is too big, else stop reading at the limit.
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > trigger.maxBodyBytes {
            return tooLarge(trigger, metadata: metadata)
        }
        let bytes: [UInt8]
        do {
            var buffer = try await request.body.collect(upTo: trigger.maxBodyBytes)
            bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch is NIOTooManyBytesError {
            return tooLarge(trigger, metadata: metadata)
        } catch {
            state.metrics.webhook(outcome: "bad_request")
            return JSONResponse.error(.badRequest, code: "body", "the request body could not be read: \(error)")
        }

        // 2. Signature, over the raw bytes.
        let settings: (environment: RunEnvironment, value: JSONValue)
        do {
            settings = try state.settingsContext(workflow)
        } catch {
            state.metrics.webhook(outcome: "error")
            logger.error("webhook cannot evaluate the workflow's env: \(error)", metadata: metadata)
            return JSONResponse.error(.internalServerError, code: "workflow", "the workflow's env block failed; see the server log")
        }
        if let secretTemplate = trigger.secret {
            let secret: String
            do {
                guard let value = try secretTemplate.evaluate(in: settings.value), case .string(let text) = value, !text.isEmpty else {
                    throw WebhookSecretMissing()
                }
                secret = text
            } catch {
                state.metrics.webhook(outcome: "error")
                logger.error("webhook secret of workflow '\(workflow.name)' is not set (\(trigger.location)); set the secret it names, e.g. BATON_SECRET_NAME, and restart", metadata: metadata)
                return JSONResponse.error(.internalServerError, code: "secret_missing",
                                          "this webhook's secret is not configured on the server")
            }
            let verdict = WebhookVerifier.verify(trigger: trigger, secret: secret, headers: WebhookHeaders(request.headerPairs),
                                                 body: bytes, now: state.clock.now())
            if case .rejected(let reason) = verdict {
                state.metrics.webhook(outcome: "unauthorized")
                logger.warning("webhook delivery rejected", metadata: metadata.merging(["reason": "\(reason)"]) { $1 })
                return JSONResponse.error(.unauthorized, code: "signature", "the delivery's signature was not accepted: \(reason)")
            }
        }

        // 3. Body.
        let body: JSONValue
        do {
            body = try WebhookBody.parse(body: bytes, contentType: request.headers[.contentType])
        } catch {
            state.metrics.webhook(outcome: "bad_request")
            return JSONResponse.error(HTTPResponse.Status(code: error.status), code: "body", error.message)
        }
        let payload: JSONValue = .object([
            "kind": "webhook", "method": .string(request.method.rawValue), "path": .string(request.uri.path),
            "headers": request.headersJSON, "query": request.queryJSON, "body": body,
            "received_at": .string(ISO8601Time.format(state.clock.now())),
        ])

        // 4. Idempotency key; a key that cannot be computed does not cost the delivery.
        var key: String? = nil
        if let template = trigger.idempotencyKey {
            guard case .object(var context) = settings.value else { preconditionFailure("settings context is an object") }
            context["trigger"] = payload
            do {
                if let value = try template.evaluate(in: .object(context)), value != .null {
                    key = Template.text(of: value)
                }
            } catch {
                logger.warning("webhook idempotency_key failed, the delivery is accepted without deduplication: \(error)", metadata: metadata)
            }
        }

        // 5. The run, durably stored before anyone hears of it.
        let result: CreateRunResult
        do {
            result = try await state.starter.start(route.served, kind: .webhook, payload: payload, idempotencyKey: key)
        } catch let problems as RunInputs.Problems {
            state.metrics.webhook(outcome: "error")
            return JSONResponse.error(.unprocessableContent, code: "inputs",
                                      "the workflow's inputs cannot be filled for a webhook run: \(problems.messages.joined(separator: "; "))")
        } catch {
            state.metrics.webhook(outcome: "error")
            logger.error("webhook run could not be stored: \(error)", metadata: metadata)
            return JSONResponse.error(.serviceUnavailable, code: "store", "the run could not be stored; retry the delivery",
                                      headers: [.retryAfter: "1"])
        }
        let run = result.run
        if !result.isCreated {
            state.metrics.webhook(outcome: "duplicate")
            return JSONResponse.make(.ok, [
                "run_id": .string(run.id), "status_url": .string(state.statusURL(run.id)),
                "status": .string(run.status.rawValue), "duplicate": true,
            ])
        }
        state.metrics.webhook(outcome: "accepted")
        if trigger.response == .sync {
            return await syncResponse(run.id, timeout: trigger.responseTimeout)
        }
        return JSONResponse.make(.accepted, ["run_id": .string(run.id), "status_url": .string(state.statusURL(run.id))])
    }

    private func tooLarge(_ trigger: WebhookTrigger, metadata: Logger.Metadata) -> Response {
        state.metrics.webhook(outcome: "too_large")
        state.logger.warning("webhook delivery over the size limit refused", metadata: metadata)
        return JSONResponse.error(.contentTooLarge, code: "too_large",
                                  "the body is larger than this webhook's limit of \(trigger.maxBodyBytes) bytes (max_body in the workflow)")
    }

    /// Waits for the run's answer: what a `respond` step set, else the run's output once it ends.
    private func syncResponse(_ runID: String, timeout: Duration) async -> Response {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let signal = await state.waiters.wait(for: runID, timeout: deadline - ContinuousClock.now)
            switch signal {
            case .responded(let answer)?:
                return Self.response(from: answer)
            case .ended(let outcome)?:
                if outcome == "waiting" || outcome == "released" || outcome == "abandoned" { break }
                return await finishedResponse(runID)
            case nil:
                // Not executed here (another process holds it), or the time is up: ask the store.
                if let run = try? await state.store.run(id: runID), run.status.isTerminal {
                    return await finishedResponse(runID)
                }
            }
        }
        await state.waiters.forget(runID)
        return JSONResponse.make(.accepted, ["run_id": .string(runID), "status_url": .string(state.statusURL(runID)),
                                             "status": "running"])
    }

    private func finishedResponse(_ runID: String) async -> Response {
        guard let run = try? await state.store.run(id: runID) else {
            return JSONResponse.error(.internalServerError, code: "store", "the run could not be read back")
        }
        if let steps = try? await state.store.steps(runID: runID), let workflow = try? await state.dependencies.catalog.workflow(version: run.workflowVersionID) {
            for step in steps where step.status == .succeeded && step.key.item == nil {
                if case .respond? = workflow.step(step.key.stepID)?.action, let output = step.output,
                   let answer = try? JSONValue(parsing: output) {
                    return Self.response(from: answer)
                }
            }
        }
        switch run.status {
        case .succeeded:
            let output = run.output.flatMap { try? JSONValue(parsing: $0) } ?? .null
            return JSONResponse.make(.ok, output)
        default:
            var body: OrderedDictionary<String, JSONValue> = ["run_id": .string(runID), "status": .string(run.status.rawValue)]
            if let error = run.error.flatMap({ try? JSONValue(parsing: $0) }) { body["error"] = error }
            return JSONResponse.make(.internalServerError, .object(body))
        }
    }

    /// The HTTP response a `respond` step described (`{status, headers, body}`).
    static func response(from answer: JSONValue) -> Response {
        let status = answer["status"]?.numberValue.map { Int($0) } ?? 200
        var headers = HTTPFields()
        if case .object(let members)? = answer["headers"] {
            for (name, value) in members {
                if let field = HTTPField.Name(name) { headers[field] = Template.text(of: value) }
            }
        }
        let body = answer["body"] ?? .null
        if case .string(let text) = body {
            if headers[.contentType] == nil { headers[.contentType] = "text/plain; charset=utf-8" }
            return Response(status: HTTPResponse.Status(code: status), headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        if body == .null, answer["body"] == nil {
            return Response(status: HTTPResponse.Status(code: status), headers: headers)
        }
        if headers[.contentType] == nil { headers[.contentType] = "application/json; charset=utf-8" }
        return Response(status: HTTPResponse.Status(code: status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: body.serialized())))
    }
}

/// A webhook whose secret expression gives nothing.
struct WebhookSecretMissing: Error {}

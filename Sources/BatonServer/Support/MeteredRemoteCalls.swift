import BatonCore
import BatonEngine
import Foundation
import JSONata

/// Counts every HTTP attempt of the executor by response status for `/metrics`.
struct MeteredRemoteCalls: RemoteCalls {
    let inner: any RemoteCalls
    let metrics: ServerMetrics

    func call(_ step: Step, context: JSONValue, idempotencyKey: String, timeout: Duration, workflow: Workflow,
              secrets: [String]) async -> RemoteCallResult {
        let result = await inner.call(step, context: context, idempotencyKey: idempotencyKey, timeout: timeout,
                                      workflow: workflow, secrets: secrets)
        metrics.httpAttempt(status: result.responseStatus)
        return result
    }
}

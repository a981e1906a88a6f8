import BatonCore
import Foundation
import JSONata

extension HTTPStepCalls {
    /// Makes the request of a poll trigger once (no retries), evaluated against `context`, with
    /// the workflow's connections, exactly as an `http` step would make it.
    public func poll(_ request: HTTPRequestSpec, trigger: PollTrigger, context: JSONValue, workflow: Workflow,
                     secrets: [String], timeout: Duration, requestKey: String) async -> RemoteCallResult {
        let step = Step(id: "poll", action: .http(request), location: trigger.location)
        return await call(step, context: context, idempotencyKey: requestKey, timeout: timeout, workflow: workflow,
                          secrets: secrets)
    }
}

import BatonCore
import Foundation
import JSONata
import OrderedCollections

/// Performs `http`, `graphql` and `soap` steps: evaluates their templates against the run's
/// context, applies the connection (base URL, auth, headers, rate limit, timeout), makes one
/// attempt through ``StepHTTPClient``, and says what the audit log records of it.
public struct HTTPStepCalls: RemoteCalls {
    /// The shared client.
    public let client: StepHTTPClient
    /// Token buckets per connection and per step, shared by the whole process.
    public let limits: RateLimiterRegistry<ContinuousClock>
    /// Keeps signed-in connections' tokens (OAuth2 user grants, sessions); nil when the
    /// process keeps none, and steps on such connections then fail saying so.
    public let connections: (any ConnectionTokenProviding)?

    /// Creates the performer.
    public init(client: StepHTTPClient, limits: RateLimiterRegistry<ContinuousClock> = RateLimiterRegistry(clock: ContinuousClock()),
                connections: (any ConnectionTokenProviding)? = nil) {
        self.client = client
        self.limits = limits
        self.connections = connections
    }

    public func call(_ step: Step, context: JSONValue, idempotencyKey: String, timeout: Duration,
                     workflow: Workflow, secrets: [String]) async -> RemoteCallResult {
        let live = connections?.liveSecrets
        var redactor = Redactor(secrets: secrets, live: live)
        var summary: RequestSummary? = nil
        do {
            let connection = Self.connectionName(of: step.action).flatMap { workflow.connection($0) }
            if let rate = connection?.rateLimit {
                try await limits.acquire("connection:\(connection!.name)", rate: RequestRate(count: rate.count, period: rate.period))
            }
            if let rate = step.rateLimit {
                try await limits.acquire("step:\(workflow.name)/\(step.id)", rate: RequestRate(count: rate.count, period: rate.period))
            }
            let evaluator = Evaluator(context: context, step: step, connections: connections)
            switch step.action {
            case .http(let spec):
                let call = try evaluator.httpCall(spec, connection: connection, idempotencyKey: idempotencyKey,
                                                  timeout: spec.timeout ?? connection?.timeout ?? timeout)
                redactor = Redactor(secrets: secrets + (call.auth?.secretValues ?? []), live: live)
                summary = Self.summary(call, redactor: redactor)
                if let paginate = spec.paginate {
                    let pages = try await client.performPaginated(call, pagination: evaluator.pagination(paginate))
                    return Self.success(pages.output, summary: summary, last: pages.pages.last, redactor: redactor)
                }
                let result = try await client.perform(call)
                return Self.success(result.output, summary: summary, last: result, redactor: redactor)
            case .graphql(let spec):
                let call = try evaluator.graphQLCall(spec, connection: connection, idempotencyKey: idempotencyKey,
                                                     timeout: spec.timeout ?? connection?.timeout ?? timeout)
                redactor = Redactor(secrets: secrets + (call.auth?.secretValues ?? []), live: live)
                summary = Self.summary(call.httpCall, redactor: redactor)
                let result = try await client.graphQL(call)
                return Self.success(result.output, summary: summary, last: result, redactor: redactor)
            case .soap(let spec):
                let call = try evaluator.soapCall(spec, connection: connection, idempotencyKey: idempotencyKey,
                                                  timeout: spec.timeout ?? connection?.timeout ?? timeout)
                redactor = Redactor(secrets: secrets + (call.auth?.secretValues ?? []), live: live)
                summary = Self.summary(try call.httpCall(), redactor: redactor)
                let result = try await client.soap(call)
                return Self.success(result.output, summary: summary, last: result.http, redactor: redactor)
            default:
                return RemoteCallResult(result: .failure(StepFailure(code: "internal", message: "step '\(step.id)' does not call out")))
            }
        } catch let error as StepCallError {
            let failure = Self.failure(error.redacted(with: redactor), step: step)
            return RemoteCallResult(result: .failure(failure), requestSummary: summary?.jsonValue.serialized(),
                                    responseStatus: error.status,
                                    responseHeaders: error.responseHeaders.isEmpty ? nil
                                        : HTTPResult.headersValue(redactor.redact(headers: error.responseHeaders)).serialized())
        } catch let error as ConnectionError {
            return RemoteCallResult(result: .failure(StepFailure(code: error.code.rawValue, message: redactor.redact(error.message),
                                                                 retryable: error.isTransient)),
                                    requestSummary: summary?.jsonValue.serialized())
        } catch let error as TemplateEvaluationError {
            return RemoteCallResult(result: .failure(StepFailure(code: "expression", message: "step '\(step.id)': \(error)")),
                                    requestSummary: summary?.jsonValue.serialized())
        } catch let error as EvaluationProblem {
            return RemoteCallResult(result: .failure(StepFailure(code: "invalid_request", message: "step '\(step.id)': \(error.message)")),
                                    requestSummary: summary?.jsonValue.serialized())
        } catch is CancellationError {
            return RemoteCallResult(result: .failure(StepFailure(code: "cancelled", message: "the attempt was cancelled")),
                                    requestSummary: summary?.jsonValue.serialized())
        } catch {
            return RemoteCallResult(result: .failure(StepFailure(code: "internal", message: "step '\(step.id)': \(error)")),
                                    requestSummary: summary?.jsonValue.serialized())
        }
    }

    // MARK: Results

    static func success(_ output: JSONValue, summary: RequestSummary?, last: HTTPResult?, redactor: Redactor) -> RemoteCallResult {
        RemoteCallResult(result: .success(output), requestSummary: summary?.jsonValue.serialized(),
                         responseStatus: last?.status,
                         responseHeaders: last.map { ResponseSummary($0, redactor: redactor).jsonValue.serialized() })
    }

    /// What the audit log records of `call`: the request as it goes on the wire, with its
    /// `Idempotency-Key` and its credentials' header or query parameter, their values masked.
    static func summary(_ call: HTTPCall, redactor: Redactor) -> RequestSummary {
        // The client adds these while sending (StepHTTPClient.perform and authorize); an auditor
        // needs to see that they were sent, so they are added here too, masked.
        var request = call.request
        if let key = call.idempotencyKey { request.addHeaderIfAbsent("Idempotency-Key", key) }
        switch call.auth {
        case .bearer?, .basic?, .oauth2?: request.addHeaderIfAbsent("Authorization", Redactor.mask)
        case .connection(let credential)?: request.addHeaderIfAbsent(credential.signIn.header, Redactor.mask)
        case .apiKey(.header, let name, _)?: request.addHeaderIfAbsent(name, Redactor.mask)
        case .apiKey(.query, let name, _)?: request.url = URLQuery.setting(name, to: Redactor.mask, in: request.url)
        case nil: break
        }
        return RequestSummary(request, redactor: redactor, maskedHeaders: call.auth?.headerNames ?? [],
                              maskedQueryNames: call.auth?.queryNames ?? [])
    }

    /// Maps the HTTP layer's error to the step's failure, retryable by the step's `retry.when`.
    static func failure(_ error: StepCallError, step: Step) -> StepFailure {
        let policy = step.retry ?? .none
        let classifier = RetryClassifier(conditions: policy.when.map(RetryCondition.init))
        var details = OrderedDictionary<String, JSONValue>()
        if case .object(let object) = error.jsonValue {
            for (key, value) in object where key != "code" && key != "message" { details[key] = value }
        }
        return StepFailure(code: error.code, message: error.message, retryable: classifier.isRetryable(error),
                           retryAfter: error.retryAfter, details: details)
    }

    static func connectionName(of action: StepAction) -> String? {
        switch action {
        case .http(let spec): return spec.connection
        case .graphql(let spec): return spec.connection
        case .soap(let spec): return spec.connection
        default: return nil
        }
    }
}

extension RetryCondition {
    /// The HTTP layer's form of a workflow's retry condition.
    init(_ condition: RetryPolicy.Condition) {
        switch condition {
        case .network: self = .network
        case .timeout: self = .timeout
        case .status(let status): self = .status(status)
        case .statusClass(let digit): self = .statusClass(digit)
        }
    }
}

import BatonCore
import Foundation
import JSONata

/// A value of a request that does not fit where it goes (an object as a header, a bad URL).
struct EvaluationProblem: Error {
    var message: String
}

extension HTTPStepCalls {
    /// Evaluates a step's request templates against one context.
    struct Evaluator {
        let context: JSONValue
        let step: Step
        /// Hands out signed-in connections' tokens.
        var connections: (any ConnectionTokenProviding)? = nil

        func value(_ template: Template) throws -> JSONValue? {
            try template.evaluate(in: context)
        }

        /// A template that must give text: strings as they are, numbers and booleans as JSON.
        func text(_ template: Template, _ what: String) throws -> String {
            switch try value(template) {
            case .string(let text)?: return text
            case .number?, .bool?: return try value(template)!.serialized()
            case nil: throw EvaluationProblem(message: "\(what) is undefined; check the expression")
            case let other?: throw EvaluationProblem(message: "\(what) must be text, not \(other.serialized())")
            }
        }

        /// Name/value pairs; members whose value is undefined are left out.
        func pairs(_ members: [Template.ObjectMember], _ what: String) throws -> [(String, String)] {
            var result: [(String, String)] = []
            for member in members {
                guard let value = try value(member.value) else { continue }
                switch value {
                case .string(let text): result.append((member.key, text))
                case .number, .bool: result.append((member.key, value.serialized()))
                case .null: continue
                case .array(let items):
                    // Repeated query parameters (`tag=a&tag=b`).
                    for item in items { result.append((member.key, item.stringValue ?? item.serialized())) }
                case .object: throw EvaluationProblem(message: "\(what) '\(member.key)' must be text, not an object")
                }
            }
            return result
        }

        func url(_ template: Template, connection: Connection?) throws -> String {
            let raw = try text(template, "url")
            guard raw.hasPrefix("/"), let base = connection?.baseURL else { return raw }
            let prefix = try text(base, "base_url of connection '\(connection!.name)'")
            return (prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix) + raw
        }

        func headers(_ own: [Template.ObjectMember], connection: Connection?) throws -> [(String, String)] {
            var headers = try pairs(connection?.headers ?? [], "header")
            for (name, value) in try pairs(own, "header") {
                headers.removeAll { $0.0.lowercased() == name.lowercased() }
                headers.append((name, value))
            }
            return headers
        }

        func auth(_ own: Auth?, connection: Connection?) throws -> RequestAuth? {
            guard let auth = own ?? connection?.auth else { return nil }
            switch auth {
            case .bearer(let token):
                return .bearer(token: try text(token, "bearer token"))
            case .basic(let username, let password):
                return .basic(username: try text(username, "username"), password: try text(password, "password"))
            case .apiKey(let placement, let name, let value):
                return .apiKey(placement: placement == .header ? .header : .query, name: name, value: try text(value, "api key"))
            case .oauth2ClientCredentials(let settings):
                return .oauth2(OAuth2Credentials(tokenURL: try text(settings.tokenURL, "token_url"),
                                                 clientID: try text(settings.clientID, "client_id"),
                                                 clientSecret: try text(settings.clientSecret, "client_secret"),
                                                 scopes: settings.scopes,
                                                 audience: try settings.audience.map { try text($0, "audience") }))
            case .oauth2User, .session:
                guard let connection, let signIn = try ConnectionSignIn(connection: connection, context: context) else {
                    throw EvaluationProblem(message: "sign-in auth needs a connection")
                }
                guard let connections else {
                    throw ConnectionError(.unavailable, connection: connection.name,
                                          message: "connection '\(connection.name)' keeps signed-in tokens, but this process has no token store for them; run it with 'baton run', 'baton worker' or 'baton serve'")
                }
                return .connection(ConnectionCredential(signIn: signIn, provider: connections))
            }
        }

        func httpCall(_ spec: HTTPRequestSpec, connection: Connection?, idempotencyKey: String, timeout: Duration) throws -> HTTPCall {
            var body: RequestBody? = nil
            switch spec.body {
            case .json(let template)?: body = .json(try value(template) ?? .null)
            case .form(let members)?: body = .form(try pairs(members, "form field"))
            case .raw(let template)?: body = .raw(try text(template, "body"), contentType: "text/plain; charset=utf-8")
            case nil: break
            }
            let request = PreparedRequest(method: spec.method, url: try url(spec.url, connection: connection),
                                          query: try pairs(spec.query, "query parameter"),
                                          headers: try headers(spec.headers, connection: connection), body: body, timeout: timeout)
            let key = try spec.idempotencyKey.map { try text($0, "idempotency_key") } ?? idempotencyKey
            return HTTPCall(request: request, auth: try auth(spec.auth, connection: connection),
                            expect: StatusExpectation(spec.expect.map(RetryCondition.init)), idempotencyKey: key)
        }

        func pagination(_ spec: HTTPRequestSpec.Pagination) -> Pagination {
            let context = self.context
            @Sendable func withResponse(_ result: HTTPResult) -> JSONValue {
                guard case .object(var object) = context else { return context }
                object["response"] = result.output
                return .object(object)
            }
            let strategy: Pagination.Strategy
            switch spec.strategy {
            case .link:
                strategy = .link
            case .cursor:
                let cursor = spec.cursor
                strategy = .cursor(parameter: spec.parameter ?? "cursor", next: { result in
                    guard let cursor, let value = try cursor.evaluate(in: withResponse(result)) else { return nil }
                    switch value {
                    case .string(let text): return text
                    case .null: return nil
                    default: return value.serialized()
                    }
                })
            case .page:
                strategy = .page(parameter: spec.parameter ?? "page")
            }
            var items = Pagination.bodyItems
            if let template = spec.items {
                items = { result in
                    switch try template.evaluate(in: withResponse(result)) {
                    case nil, .null?: return []
                    case .array(let array)?: return array
                    case let single?: return [single]
                    }
                }
            }
            return Pagination(strategy: strategy, items: items, limit: spec.limit, maxPages: spec.maxPages)
        }

        func graphQLCall(_ spec: GraphQLSpec, connection: Connection?, idempotencyKey: String, timeout: Duration) throws -> GraphQLCall {
            GraphQLCall(url: try url(spec.url, connection: connection), query: try text(spec.query, "query"),
                        variables: try spec.variables.flatMap(value), operationName: spec.operationName,
                        headers: try headers(spec.headers, connection: connection), auth: try auth(spec.auth, connection: connection),
                        timeout: timeout, idempotencyKey: idempotencyKey)
        }

        func soapCall(_ spec: SOAPSpec, connection: Connection?, idempotencyKey: String, timeout: Duration) throws -> SOAPCall {
            SOAPCall(url: try url(spec.url, connection: connection), action: try text(spec.action, "SOAP action"),
                     body: try value(spec.body) ?? .null, namespace: spec.namespace,
                     headers: try headers(spec.headers, connection: connection), auth: try auth(spec.auth, connection: connection),
                     timeout: timeout, idempotencyKey: idempotencyKey)
        }
    }
}

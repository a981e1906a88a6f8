/// The one thing a step does.
public enum StepAction: Sendable {
    /// Call a REST API.
    case http(HTTPRequestSpec)
    /// Call a GraphQL API.
    case graphql(GraphQLSpec)
    /// Call a SOAP 1.1 service.
    case soap(SOAPSpec)
    /// Compute an output from expressions only, no I/O.
    case transform(Template)
    /// Park the run for a while or until a time.
    case wait(WaitSpec)
    /// Park the run until a matching event arrives.
    case waitFor(WaitForSpec)
    /// Start another workflow and wait for its output.
    case workflow(WorkflowCallSpec)
    /// Set the HTTP response of a synchronous webhook.
    case respond(RespondSpec)
    /// End the run as failed.
    case fail(message: Template)

    /// The action's key in the file: `http`, `graphql`, ...
    public var kind: String {
        switch self {
        case .http: return "http"
        case .graphql: return "graphql"
        case .soap: return "soap"
        case .transform: return "transform"
        case .wait: return "wait"
        case .waitFor: return "wait_for"
        case .workflow: return "workflow"
        case .respond: return "respond"
        case .fail: return "fail"
        }
    }

    /// Every action key, in the order messages list them.
    public static let kinds = ["http", "graphql", "soap", "transform", "wait", "wait_for", "workflow", "respond", "fail"]
}

/// An HTTP request of an `http` step or a poll trigger.
public struct HTTPRequestSpec: Sendable {
    /// The request body.
    public enum Body: Sendable {
        /// A JSON document (`Content-Type: application/json`).
        case json(Template)
        /// URL-encoded form fields.
        case form([Template.ObjectMember])
        /// Raw text, sent as written.
        case raw(Template)
    }

    /// How to follow further pages of a list.
    public struct Pagination: Sendable {
        /// Where the next page comes from.
        public enum Strategy: String, Sendable, Hashable, CaseIterable {
            /// The `Link: <...>; rel="next"` header.
            case link
            /// A cursor taken from the response and sent as a query parameter.
            case cursor
            /// A page number sent as a query parameter.
            case page
        }

        /// Where the next page comes from.
        public var strategy: Strategy
        /// An expression over `response` giving the page's items (default: the body).
        public var items: Template?
        /// For `cursor`: an expression over `response` giving the next cursor.
        public var cursor: Template?
        /// The query parameter carrying the cursor or page number.
        public var parameter: String?
        /// Stop after this many items.
        public var limit: Int?
        /// Stop after this many pages.
        public var maxPages: Int
    }

    /// The HTTP method.
    public var method: String
    /// The URL, absolute or relative to the connection's base URL.
    public var url: Template
    /// A connection to go through.
    public var connection: String?
    /// Query parameters.
    public var query: [Template.ObjectMember]
    /// Request headers.
    public var headers: [Template.ObjectMember]
    /// The body, if any.
    public var body: Body?
    /// Credentials, overriding the connection's.
    public var auth: Auth?
    /// The request's timeout.
    public var timeout: Duration?
    /// Statuses that count as success (2xx by default), as single statuses or classes.
    public var expect: [RetryPolicy.Condition]
    /// Pagination, if the response is one page of a list.
    public var paginate: Pagination?
    /// An `Idempotency-Key` replacing the default `<run id>-<step id>[-<index>]`.
    public var idempotencyKey: Template?
}

/// A GraphQL request.
public struct GraphQLSpec: Sendable {
    /// The endpoint.
    public var url: Template
    /// A connection to go through.
    public var connection: String?
    /// The query or mutation text.
    public var query: Template
    /// The variables.
    public var variables: Template?
    /// The operation to run, when the document holds several.
    public var operationName: String?
    /// Extra headers.
    public var headers: [Template.ObjectMember]
    /// Credentials, overriding the connection's.
    public var auth: Auth?
    /// The request's timeout.
    public var timeout: Duration?
}

/// A SOAP 1.1 call.
public struct SOAPSpec: Sendable {
    /// The endpoint.
    public var url: Template
    /// A connection to go through.
    public var connection: String?
    /// The `SOAPAction` header.
    public var action: Template
    /// The body element, built from a mapping (its single key is the element name).
    public var body: Template
    /// The namespace of the body element.
    public var namespace: String?
    /// Extra headers.
    public var headers: [Template.ObjectMember]
    /// Credentials, overriding the connection's.
    public var auth: Auth?
    /// The request's timeout.
    public var timeout: Duration?
}

/// A durable wait.
public enum WaitSpec: Sendable {
    /// Wait this long.
    case duration(Duration)
    /// Wait until this time (an expression giving ISO 8601 text or epoch milliseconds).
    case until(Template)
}

/// Waits for an event posted to `/api/events/{event}`.
public struct WaitForSpec: Sendable {
    /// The event's name.
    public var event: String
    /// An expression over `event` that must be truthy for the event to resume this run.
    public var match: Template?
    /// How long to wait before the step fails.
    public var timeout: Duration?
}

/// Starts another workflow and waits for it.
public struct WorkflowCallSpec: Sendable {
    /// The workflow's name.
    public var name: String
    /// Its inputs.
    public var input: Template?
}

/// The HTTP response of a synchronous webhook.
public struct RespondSpec: Sendable {
    /// The status code (200 by default).
    public var status: Template
    /// Response headers.
    public var headers: [Template.ObjectMember]
    /// The body.
    public var body: Template?
}

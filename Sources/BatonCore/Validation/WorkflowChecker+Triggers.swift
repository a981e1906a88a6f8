import Foundation

extension WorkflowChecker {
    static let triggerKinds = ["webhook", "schedule", "poll", "manual"]
    /// Paths the server answers itself; a webhook there could never be reached.
    static let reservedPathPrefixes = ["/api/", "/healthz", "/readyz", "/metrics", "/static/", "/runs", "/login", "/logout",
                                       "/demo/"]

    func readTriggers(_ node: SourceNode, inputs: [WorkflowInput], connections: [Connection] = []) -> [Trigger] {
        guard let items = node.items else {
            error("'triggers' must be a list, e.g. '- webhook: {path: /hooks/x}', not \(node.kindDescription)",
                  at: node.location)
            return []
        }
        var triggers: [Trigger] = []
        var webhookPaths: [String: SourceLocation] = [:]
        for item in items {
            if item.string == "manual" {
                triggers.append(.manual(location: item.location))
                continue
            }
            guard let entries = item.entries, entries.count == 1, let entry = entries.first else {
                let found = item.entries.map { $0.map { "'\($0.key)'" }.joined(separator: " and ") } ?? item.kindDescription
                error("each trigger is one of \(Self.triggerKinds.joined(separator: ", ")), found \(found)", at: item.location)
                continue
            }
            switch entry.key {
            case "webhook":
                if let webhook = readWebhook(entry.value) {
                    let key = webhook.method + " " + webhook.path
                    if let first = webhookPaths[key] {
                        error("webhook \(key) is declared twice (first at line \(first.line)); give each a different path",
                              at: webhook.location)
                    }
                    webhookPaths[key] = webhook.location
                    triggers.append(.webhook(webhook))
                }
            case "schedule":
                if let schedule = readSchedule(entry.value) { triggers.append(.schedule(schedule)) }
            case "poll":
                if let poll = readPoll(entry.value, connections: connections) { triggers.append(.poll(poll)) }
            case "manual":
                if entry.value.scalar != .null, entry.value.entries?.isEmpty != true {
                    error("manual takes no settings (inputs are declared under 'inputs:'); write '- manual'",
                          at: entry.value.location)
                }
                triggers.append(.manual(location: entry.keyLocation))
            default:
                let tail = Suggestions.closest(to: entry.key, in: Self.triggerKinds).map { "did you mean '\($0)'?" }
                    ?? "triggers are \(Self.triggerKinds.joined(separator: ", "))"
                error("unknown trigger '\(entry.key)'; \(tail)", at: entry.keyLocation)
            }
        }
        return triggers
    }

    // MARK: webhook

    private func readWebhook(_ node: SourceNode) -> WebhookTrigger? {
        let keys = ["path", "method", "secret", "scheme", "signature_header", "signature_prefix", "signature_encoding",
                    "tolerance", "idempotency_key", "response", "response_timeout", "max_body"]
        guard let webhook = fields(node, of: "webhook trigger", allowed: keys) else { return nil }
        let scope = ExpressionScope.trigger("webhook")

        var path: String? = nil
        if let pathNode = required(webhook, "path", of: "webhook trigger", example: "/hooks/my-event"),
           let text = nonEmptyString(pathNode, "webhook path") {
            if !text.hasPrefix("/") {
                error("webhook path '\(text)' must start with '/', e.g. '/hooks/\(text)'", at: pathNode.location)
            } else if text.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" }) {
                error("webhook path '\(text)' must not contain spaces, '?' or '#'", at: pathNode.location)
            } else if text == "/" || Self.reservedPathPrefixes.contains(where: { text == $0 || text.hasPrefix($0)
                || text + "/" == $0 }) {
                error("webhook path '\(text)' is used by Baton itself; put webhooks under /hooks/", at: pathNode.location)
            } else {
                path = text
            }
        }
        var method = "POST"
        if let methodNode = webhook["method"], let text = string(methodNode, "method") {
            if let normalized = Self.httpMethod(text) { method = normalized } else {
                error("unknown HTTP method '\(text)'; use GET, POST, PUT, PATCH or DELETE", at: methodNode.location)
            }
        }
        let secret = webhook["secret"].flatMap { template($0, scope: .workflow) }
        var scheme = webhook["scheme"].flatMap { choice($0, "scheme", as: WebhookTrigger.SignatureScheme.self) }
        var header = webhook["signature_header"].flatMap { nonEmptyString($0, "signature_header") }
        var prefix = webhook["signature_prefix"].flatMap { string($0, "signature_prefix") }
        var encoding = webhook["signature_encoding"].flatMap {
            choice($0, "signature_encoding", as: WebhookTrigger.SignatureEncoding.self)
        }
        var tolerance = webhook["tolerance"].flatMap { duration($0, "tolerance") }

        if secret == nil {
            for key in ["scheme", "signature_header", "signature_prefix", "signature_encoding", "tolerance"]
            where webhook.has(key) {
                error("'\(key)' needs a 'secret' to check deliveries against; add 'secret: ${{ secrets.NAME }}'",
                      at: webhook.keyLocation(key)!)
            }
        } else {
            if scheme == nil {
                scheme = header?.lowercased() == "x-hub-signature-256" ? .github : .hmacSHA256
            }
            switch scheme! {
            case .github:
                header = header ?? "X-Hub-Signature-256"; prefix = prefix ?? "sha256="
            case .stripe:
                header = header ?? "Stripe-Signature"; tolerance = tolerance ?? .seconds(300)
            case .slack:
                header = header ?? "X-Slack-Signature"; prefix = prefix ?? "v0="; tolerance = tolerance ?? .seconds(300)
            case .hmacSHA256, .hmacSHA1, .token:
                if header == nil {
                    error("a webhook with scheme '\(scheme!.rawValue)' needs 'signature_header' naming the header to check",
                          at: webhook.node.location)
                }
            }
            encoding = encoding ?? .hex
        }

        let idempotencyKey = webhook["idempotency_key"].flatMap {
            expressionTemplate($0, "idempotency_key", scope: scope)
        }
        let response = webhook["response"].flatMap { choice($0, "response", as: WebhookTrigger.ResponseMode.self) } ?? .async
        let responseTimeout = webhook["response_timeout"].flatMap { duration($0, "response_timeout") } ?? .seconds(30)
        if webhook.has("response_timeout"), response != .sync {
            warning("response_timeout only applies to 'response: sync'", at: webhook.keyLocation("response_timeout")!)
        }
        var maxBody = 1 << 20
        if let sizeNode = webhook["max_body"], let size = byteSize(sizeNode, "max_body") { maxBody = size }

        guard let path else { return nil }
        return WebhookTrigger(path: path, method: method, secret: secret, scheme: secret == nil ? nil : scheme,
                              signatureHeader: header, signaturePrefix: prefix, signatureEncoding: encoding ?? .hex,
                              tolerance: tolerance ?? .seconds(300), idempotencyKey: idempotencyKey, response: response,
                              responseTimeout: responseTimeout, maxBodyBytes: maxBody, location: node.location)
    }

    /// Sizes such as `1MiB`, `512KB`, `64k` or a number of bytes.
    func byteSize(_ node: SourceNode, _ what: String) -> Int? {
        let hint = "write a size like 512KB, 1MiB or 10MB"
        if case .scalar(.number(let value), _, _) = node.kind, value >= 1, value.rounded() == value, value < 1e12 {
            return Int(value)
        }
        guard let text = node.string else {
            error("\(what) must be a size, not \(node.kindDescription); \(hint)", at: node.location)
            return nil
        }
        let digits = text.prefix { $0.isNumber || $0 == "." }
        let unit = text.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let multipliers: [String: Double] = ["": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1_000_000,
                                             "mb": 1_000_000, "mib": 1_048_576, "gb": 1e9, "gib": 1_073_741_824]
        guard let number = Double(digits), let multiplier = multipliers[unit], number > 0 else {
            error("invalid size '\(text)' for \(what); \(hint)", at: node.location)
            return nil
        }
        return Int((number * multiplier).rounded())
    }

    static func httpMethod(_ text: String) -> String? {
        let upper = text.uppercased()
        return ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].contains(upper) ? upper : nil
    }

    // MARK: schedule

    private func readSchedule(_ node: SourceNode) -> ScheduleTrigger? {
        guard let schedule = fields(node, of: "schedule trigger", allowed: ["cron", "timezone", "catch_up"]) else {
            return nil
        }
        var cron: CronExpression? = nil
        if let cronNode = required(schedule, "cron", of: "schedule trigger", example: "\"0 9 * * 1-5\""),
           let text = nonEmptyString(cronNode, "cron") {
            do {
                cron = try CronExpression(text)
            } catch {
                self.error("invalid cron expression: \(error.message)",
                           at: source.location(ofOffset: error.offset, in: text, of: cronNode))
            }
        }
        var timeZone = TimeZone(identifier: "UTC")!
        if let zoneNode = schedule["timezone"], let name = nonEmptyString(zoneNode, "timezone") {
            if let zone = TimeZone(identifier: name), name == "UTC" || name.contains("/") || zone.identifier == name {
                timeZone = zone
            } else {
                let tail = Suggestions.closest(to: name, in: TimeZone.knownTimeZoneIdentifiers).map { "did you mean '\($0)'?" }
                    ?? "use an IANA name such as Europe/Berlin or America/New_York"
                error("unknown timezone '\(name)'; \(tail)", at: zoneNode.location)
            }
        }
        let catchUp = schedule["catch_up"].flatMap { choice($0, "catch_up", as: ScheduleTrigger.CatchUp.self) } ?? .none
        guard let cron else { return nil }
        return ScheduleTrigger(cron: cron, timeZone: timeZone, catchUp: catchUp, location: node.location)
    }

    // MARK: poll

    private func readPoll(_ node: SourceNode, connections: [Connection]) -> PollTrigger? {
        guard let poll = fields(node, of: "poll trigger", allowed: ["every", "http", "items", "key", "fire_on_start"]) else {
            return nil
        }
        let scope = ExpressionScope.trigger("poll")
        var every: Duration? = nil
        if let everyNode = required(poll, "every", of: "poll trigger", example: "5m"), let value = duration(everyNode, "every") {
            if value < .seconds(1) {
                error("poll interval \(DurationText.format(value)) is too short; poll at most once a second", at: everyNode.location)
            } else {
                every = value
            }
        }
        let request = required(poll, "http", of: "poll trigger", example: "{url: https://api.example.com/items}")
            .flatMap { readHTTPRequest($0, of: "the poll request", scope: scope, connections: connections) }
        let items = required(poll, "items", of: "poll trigger", example: "${{ response.body.items }}")
            .flatMap { expressionTemplate($0, "items", scope: scope.adding(["response"])) }
        let key = required(poll, "key", of: "poll trigger", example: "${{ item.id }}")
            .flatMap { expressionTemplate($0, "key", scope: scope.adding(["item"])) }
        let fireOnStart = poll["fire_on_start"].flatMap { bool($0, "fire_on_start") } ?? false
        guard let every, let request, let items, let key else { return nil }
        return PollTrigger(every: every, request: request, items: items, key: key, fireOnStart: fireOnStart,
                           location: node.location)
    }
}

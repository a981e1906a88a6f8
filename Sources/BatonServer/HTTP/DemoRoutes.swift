import BatonCore
import BatonEngine
import Foundation
import Hummingbird
import JSONata
import OrderedCollections

/// A pretend third-party API under `/demo`, so that the quick start (`Workflows/quickstart.yaml`)
/// shows a whole run, webhook to API call to output, without an account or a network.
///
/// `POST /demo/messages` takes `{"to": TEXT, "text": TEXT}` and answers like a small messaging
/// service: `201 {id, to, text, characters, status: "sent", sent_at}`, or `400 {error: {code,
/// message}}` naming every problem of the request. It sends nothing and stores nothing; it
/// echoes the `Idempotency-Key` it was given as `idempotency_key`, to show what Baton sends.
struct DemoRoutes: Sendable {
    /// The path prefix, reserved for the demo so that no webhook takes it.
    static let prefix = "/demo"
    /// The longest `text` accepted, as real messaging APIs have one.
    static let maxTextLength = 1000

    let clock: any WallClock

    /// Adds the demo's routes to `router`.
    func register(on router: Router<BasicRequestContext>) {
        router.post("demo/messages") { request, _ in await message(request) }
    }

    private func message(_ request: Request) async -> Response {
        guard let buffer = try? await request.body.collect(upTo: 64 * 1024),
              let body = try? JSONValue(parsing: String(buffer: buffer)), case .object(let fields) = body else {
            return JSONResponse.error(.badRequest, code: "invalid_json",
                                      "the body must be a JSON object like {\"to\": \"ada@example.com\", \"text\": \"Hello\"}")
        }
        var problems: [String] = []
        let to = Self.text(fields["to"], name: "to", purpose: "who the message is for", problems: &problems)
        let text = Self.text(fields["text"], name: "text", purpose: "what the message says", problems: &problems)
        if let text, text.count > Self.maxTextLength {
            problems.append("'text' has \(text.count) characters; at most \(Self.maxTextLength) are accepted")
        }
        guard let to, let text, problems.isEmpty else {
            return JSONResponse.error(.badRequest, code: "invalid_request", problems.joined(separator: "; "))
        }
        var answer: OrderedDictionary<String, JSONValue> = [
            "id": .string("msg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()),
            "to": .string(to), "text": .string(text), "characters": .number(Double(text.count)),
            "status": "sent", "sent_at": .string(ISO8601Time.format(clock.now())),
        ]
        if let key = request.headers[.init("Idempotency-Key")!] { answer["idempotency_key"] = .string(key) }
        return JSONResponse.make(.created, .object(answer))
    }

    /// A required, non-empty text field; a problem saying what to send otherwise.
    private static func text(_ value: JSONValue?, name: String, purpose: String, problems: inout [String]) -> String? {
        switch value {
        case .string(let text)? where !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty:
            return text
        case nil, .null?:
            problems.append("'\(name)' is missing: send \(purpose) as text")
        default:
            problems.append("'\(name)' must be non-empty text: \(purpose)")
        }
        return nil
    }
}

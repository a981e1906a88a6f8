import Foundation
import JSONata
import OrderedCollections
import Synchronization

/// WooCommerce's REST API (`/wp-json/wc/v3`), basic auth with a consumer key and secret:
/// `PUT /orders/ID` (status among WooCommerce's, `meta_data` merged by key) and
/// `POST /orders/ID/notes`. Errors are `{code, message, data: {status}}`.
final class WooCommerceStandIn: Sendable {
    static let key = "ck_example0000000000000000000000000000000"
    static let secret = "cs_example0000000000000000000000000000000"
    static let statuses: Set<String> = ["pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed"]
    let service = StandIn("WooCommerce")
    private let orders: Mutex<[Int: (status: String, meta: OrderedDictionary<String, JSONValue>, notes: [JSONValue])]>

    /// A shop whose orders `ids` are `processing`.
    init(orders ids: [Int]) {
        orders = Mutex(Dictionary(uniqueKeysWithValues: ids.map { ($0, (status: "processing", meta: [:], notes: [])) }))
        service.answer { [unowned self] request in self.answer(request) }
    }

    func status(_ id: Int) -> String? { orders.withLock { $0[id]?.status } }
    func meta(_ id: Int) -> OrderedDictionary<String, JSONValue> { orders.withLock { $0[id]?.meta ?? [:] } }
    /// The notes added to an order, in order: `{note, customer_note}`.
    func notes(_ id: Int) -> [JSONValue] { orders.withLock { $0[id]?.notes ?? [] } }

    private func answer(_ request: StandIn.Request) -> StandIn.Reply {
        guard let basic = request.basic, basic.user == Self.key, basic.password == Self.secret else {
            return Self.error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
        }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 5, parts[0...3] == ["wp-json", "wc", "v3", "orders"], let id = Int(parts[4]) else {
            return Self.error(404, "rest_no_route", "No route was found matching the URL and request method.")
        }
        guard orders.withLock({ $0[id] != nil }) else {
            return Self.error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        }
        switch (request.method, parts.count) {
        case ("PUT", 5): return update(id, request.json)
        case ("POST", 6) where parts[5] == "notes": return addNote(id, request.json)
        default: return Self.error(404, "rest_no_route", "No route was found matching the URL and request method.")
        }
    }

    private func update(_ id: Int, _ body: JSONValue?) -> StandIn.Reply {
        if let status = body?["status"]?.stringValue, !Self.statuses.contains(status) {
            return Self.error(400, "rest_invalid_param", "Invalid parameter(s): status")
        }
        let order = orders.withLock { orders in
            if let status = body?["status"]?.stringValue { orders[id]!.status = status }
            if case .array(let entries)? = body?["meta_data"] {
                for entry in entries { if let key = entry["key"]?.stringValue { orders[id]!.meta[key] = entry["value"] ?? .null } }
            }
            return orders[id]!
        }
        return .json(200, ["id": .number(Double(id)), "status": .string(order.status),
                           "meta_data": .array(order.meta.map { ["key": .string($0.key), "value": $0.value] })])
    }

    private func addNote(_ id: Int, _ body: JSONValue?) -> StandIn.Reply {
        guard let text = body?["note"]?.stringValue, !text.isEmpty else {
            return Self.error(400, "rest_missing_callback_param", "Missing parameter(s): note")
        }
        let note: JSONValue = ["note": .string(text), "customer_note": body?["customer_note"] ?? false]
        let count = orders.withLock { $0[id]!.notes.append(note); return $0[id]!.notes.count }
        return .json(201, ["id": .number(Double(1000 + count)), "author": "WooCommerce", "date_created": "2026-01-05T09:00:03",
                           "note": .string(text), "customer_note": note["customer_note"]!])
    }

    private static func error(_ status: Int, _ code: String, _ message: String) -> StandIn.Reply {
        .json(status, ["code": .string(code), "message": .string(message), "data": ["status": .number(Double(status))]])
    }
}

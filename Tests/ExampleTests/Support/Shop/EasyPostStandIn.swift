import Foundation
import JSONata
import OrderedCollections
import Synchronization

/// EasyPost's API v2, basic auth with the API key as user name: `POST /shipments` (addresses,
/// parcel, and customs papers required for a parcel abroad) answered with rates, `POST
/// /shipments/ID/buy` giving the label and tracker, `GET /shipments/ID`, and `GET /trackers`.
/// Errors are `{error: {code, message, errors}}`; the first `throttled` purchases get a 429.
final class EasyPostStandIn: Sendable {
    static let apiKey = "EZTK_example_test_key"
    static let fromAddress = "adr_shopwarehouse0001"
    let service = StandIn("EasyPost")
    private let throttled: Int
    private struct State {
        var shipments: [String: JSONValue] = [:]
        var trackers: [String: JSONValue] = [:]
        var purchases = 0
    }
    private let state = Mutex(State())

    init(throttled: Int) {
        self.throttled = throttled
        service.answer { [unowned self] request in self.answer(request) }
    }

    /// The shipments created, as sent (`{shipment: ...}`).
    var created: [JSONValue] { service.requests(to: "/v2/shipments", method: "POST").compactMap(\.json) }

    /// Moves every tracker to `status`, as the carrier's scans do.
    func track(_ status: String, detail: String) {
        state.withLock { state in
            for (id, tracker) in state.trackers {
                guard case .object(var object) = tracker else { continue }
                object["status"] = .string(status)
                object["status_detail"] = .string(detail)
                state.trackers[id] = .object(object)
            }
        }
    }

    private func answer(_ request: StandIn.Request) -> StandIn.Reply {
        guard let basic = request.basic, basic.user == Self.apiKey, basic.password.isEmpty else {
            return Self.error(401, "APIKEY.REQUIRED", "We couldn't authenticate you. Please check your API key.")
        }
        let parts = request.path.split(separator: "/").map(String.init)
        switch (request.method, parts) {
        case ("POST", ["v2", "shipments"]): return create(request.json?["shipment"])
        case ("POST", let p) where p.count == 4 && p[1] == "shipments" && p[3] == "buy": return buy(p[2], rate: request.json?["rate"]?["id"])
        case ("GET", let p) where p.count == 3 && p[1] == "shipments":
            return state.withLock { $0.shipments[p[2]] }.map { .json(200, $0) } ?? Self.error(404, "NOT_FOUND", "The requested resource could not be found.")
        case ("GET", ["v2", "trackers"]):
            let trackers = state.withLock { $0.trackers.values.sorted { ($0["id"]?.stringValue ?? "") < ($1["id"]?.stringValue ?? "") } }
            return .json(200, ["trackers": .array(trackers), "has_more": false])
        default:
            return Self.error(404, "NOT_FOUND", "The requested resource could not be found.")
        }
    }

    private func create(_ shipment: JSONValue?) -> StandIn.Reply {
        guard let shipment, let to = shipment["to_address"], to["street1"] != nil, to["city"] != nil, to["zip"] != nil,
              let country = to["country"]?.stringValue else {
            return Self.error(422, "SHIPMENT.INVALID_PARAMS", "Missing required parameter: to_address", field: "to_address")
        }
        guard shipment["from_address"]?["id"] == .string(Self.fromAddress) else {
            return Self.error(404, "ADDRESS.NOT_FOUND", "The requested address could not be found.", field: "from_address")
        }
        guard let weight = shipment["parcel"]?["weight"]?.numberValue, weight > 0 else {
            return Self.error(422, "PARCEL.WEIGHT.INVALID", "Invalid weight.", field: "parcel.weight")
        }
        let abroad = country != "US"
        if abroad, shipment["customs_info"]?["customs_items"] == nil {
            return Self.error(422, "SHIPMENT.CUSTOMS.MISSING", "Customs info is required for international shipments.", field: "customs_info")
        }
        let id = "shp_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(24).lowercased()
        let rates: [(String, String, String)] = abroad
            ? [("USPS", "PriorityMailInternational", "62.10"), ("USPS", "FirstClassPackageInternationalService", "18.20"), ("DHLExpress", "ExpressWorldwideNonDoc", "74.35")]
            : [("USPS", "Priority", "9.12"), ("USPS", "GroundAdvantage", "6.57"), ("UPS", "Ground", "11.40")]
        var object: OrderedDictionary<String, JSONValue> = [
            "id": .string(id), "object": "Shipment", "mode": "test", "reference": shipment["reference"] ?? .null,
            "status": "unknown", "tracking_code": .null, "tracker": .null, "postage_label": .null, "selected_rate": .null,
        ]
        object["rates"] = .array(rates.enumerated().map { index, rate in
            ["id": .string("rate_\(id.dropFirst(4).prefix(8))\(index)"), "object": "Rate", "carrier": .string(rate.0),
             "service": .string(rate.1), "rate": .string(rate.2), "currency": "USD", "shipment_id": .string(id)]
        })
        state.withLock { $0.shipments[id] = .object(object) }
        return .json(201, .object(object))
    }

    private func buy(_ id: String, rate: JSONValue?) -> StandIn.Reply {
        let (purchase, shipment) = state.withLock { state -> (Int, JSONValue?) in
            state.purchases += 1
            return (state.purchases, state.shipments[id])
        }
        if purchase <= throttled {
            return Self.error(429, "RATE_LIMITED", "Your request has been rate limited. Please slow down and try again.")
        }
        guard case .object(var object)? = shipment else { return Self.error(404, "NOT_FOUND", "The requested resource could not be found.") }
        guard case .array(let rates)? = object["rates"], let chosen = rates.first(where: { $0["id"] == rate }) else {
            return Self.error(422, "SHIPMENT.RATE.INVALID", "The rate you specified is not valid for this shipment.", field: "rate")
        }
        let code = "9400100000000000000\(rates.firstIndex(of: chosen)!)42"
        let tracker: JSONValue = [
            "id": .string("trk_" + id.dropFirst(4)), "object": "Tracker", "tracking_code": .string(code), "status": "pre_transit",
            "status_detail": "label_created", "carrier": chosen["carrier"] ?? .null, "shipment_id": .string(id),
            "public_url": .string("https://track.easypost.com/djE6dHJrXz\(code.suffix(6))"),
        ]
        object["status"] = "unknown"
        object["tracking_code"] = .string(code)
        object["selected_rate"] = chosen
        object["tracker"] = tracker
        object["postage_label"] = ["label_url": .string("https://easypost-files.s3.amazonaws.com/files/postage_label/\(code).png")]
        state.withLock { $0.shipments[id] = .object(object); $0.trackers[tracker["id"]!.stringValue!] = tracker }
        return .json(200, .object(object))
    }

    private static func error(_ status: Int, _ code: String, _ message: String, field: String? = nil) -> StandIn.Reply {
        let errors: [JSONValue] = field.map { [["field": .string($0), "message": .string(message)]] } ?? []
        return .json(status, ["error": ["code": .string(code), "message": .string(message), "errors": .array(errors)]])
    }
}

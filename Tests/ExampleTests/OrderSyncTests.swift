import BatonStore
import Foundation
import JSONata
import Testing

/// Examples/order-sync: its two real workflow files served by a real server; signed
/// WooCommerce order webhooks go in, stand-ins for VIES (SOAP), EasyPost and the shop answer.
@Suite("Example: order-sync")
struct OrderSyncTests {
    static let secret = "woo-webhook-secret"

    /// An `order.created` delivery as WooCommerce sends it (trimmed to the fields that matter).
    static func order(id: Int, status: String = "processing", country: String = "DE", vat: String? = "DE 811.907.980") -> String {
        var meta: [JSONValue] = [["id": 9001, "key": "_billing_phone_verified", "value": "yes"]]
        if let vat { meta.append(["id": 9002, "key": "vat_number", "value": .string(vat)]) }
        let payload: JSONValue = [
            "id": .number(Double(id)), "number": .string(String(id)), "status": .string(status), "currency": "USD",
            "total": "84.00", "date_created": "2026-01-05T08:59:12",
            "billing": ["first_name": "Grete", "last_name": "Muster", "company": "Musterfirma GmbH", "email": "grete@musterfirma.example",
                        "phone": "+49 30 1234567", "country": .string(country)],
            "shipping": ["first_name": "Grete", "last_name": "Muster", "company": "Musterfirma GmbH", "address_1": "Musterstrasse 1",
                         "address_2": "", "city": "Berlin", "state": "", "postcode": "10115", "country": .string(country), "phone": ""],
            "line_items": [
                ["id": 31, "name": "Espresso cups (set of 4)", "product_id": 12, "quantity": 2, "total": "48.00", "sku": "CUP-4"],
                ["id": 32, "name": "Coffee beans 1 kg", "product_id": 15, "quantity": 1, "total": "36.00", "sku": "BEAN-1K"],
            ],
            "meta_data": .array(meta),
        ]
        return payload.serialized()
    }

    static func headers(_ body: String, delivery: String, secret: String = secret) -> [(String, String)] {
        [("Content-Type", "application/json"), ("User-Agent", "WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)"),
         ("X-WC-Webhook-Source", "https://shop.example/"), ("X-WC-Webhook-Topic", "order.created"),
         ("X-WC-Webhook-Resource", "order"), ("X-WC-Webhook-Event", "created"), ("X-WC-Webhook-ID", "7"),
         ("X-WC-Webhook-Delivery-ID", delivery), ("X-WC-Webhook-Signature", Signatures.wooCommerce(body, secret: secret))]
    }

    /// Runs `body` with the stand-ins and a server serving both workflows of the example.
    func withExample(orders: [Int], vies: VIESStandIn,
                     _ body: (ExampleServer, WooCommerceStandIn, EasyPostStandIn) async throws -> Void) async throws {
        let shop = WooCommerceStandIn(orders: orders), easypost = EasyPostStandIn(throttled: 1)
        try await StandIn.running([shop.service, easypost.service, vies.service]) {
            let server = try ExampleServer(example: "order-sync", files: ["order-shipment.yaml", "order-tracking.yaml"], environment: [
                "SHOP_URL": shop.service.url, "EASYPOST_URL": easypost.service.url, "VIES_URL": vies.service.url + VIESStandIn.path,
                "EASYPOST_FROM_ADDRESS_ID": EasyPostStandIn.fromAddress, "CUSTOMS_SIGNER": "Ada Shopkeeper",
                "BATON_SECRET_SHOP_WEBHOOK_SECRET": Self.secret, "BATON_SECRET_SHOP_CONSUMER_KEY": WooCommerceStandIn.key,
                "BATON_SECRET_SHOP_CONSUMER_SECRET": WooCommerceStandIn.secret, "BATON_SECRET_EASYPOST_API_KEY": EasyPostStandIn.apiKey,
            ])
            try await server.serving {
                // The first poll only records the trackers that exist (none): wait for it.
                try #require(try await server.triggerRegistered("order-tracking"), "the poll did not run:\n\(server.logs.text)")
                try await body(server, shop, easypost)
            }
        }
    }

    @Test("an order ships with its VAT number checked over SOAP, and its status follows the parcel until it is delivered")
    func orderFollowsTheParcel() async throws {
        try await withExample(orders: [1042], vies: VIESStandIn(valid: ["DE811907980"])) { server, shop, easypost in
            let body = Self.order(id: 1042)
            let reply = try await server.post("/hooks/shop/order-created", body: body, headers: Self.headers(body, delivery: "w-1"))
            #expect(reply.status == 202)
            let run = try await server.finished(try #require(reply.json?["run_id"]?.stringValue))
            #expect(run.status == .succeeded, "\(run.error ?? "")\n\(server.logs.text)")

            // The shipment: the order's address, customs papers for abroad, and the VAT number VIES confirmed.
            let shipment = try #require(easypost.created.first?["shipment"])
            #expect(shipment["reference"] == "1042")
            #expect(shipment["to_address"]?["name"] == "Grete Muster")
            #expect(shipment["to_address"]?["country"] == "DE")
            #expect(shipment["parcel"]?["weight"] == 24)
            #expect(shipment["customs_info"]?["customs_items"]?[0]?["description"] == "Espresso cups (set of 4)")
            #expect(shipment["customs_info"]?["customs_items"]?[0]?["value"] == 48)
            #expect(shipment["customs_info"]?["customs_signer"] == "Ada Shopkeeper")
            #expect(shipment["tax_identifiers"]?[0]?["tax_id"] == "DE811907980")
            #expect(shipment["tax_identifiers"]?[0]?["tax_id_type"] == "VAT")

            // The cheapest rate is bought (after one 429), and the order carries its tracking.
            let purchases = easypost.service.requests.filter { $0.path.hasSuffix("/buy") }
            #expect(purchases.count == 2)
            #expect(purchases.last?.json?["rate"]?["id"]?.stringValue?.hasSuffix("1") == true)   // FirstClass, $18.20
            let meta = shop.meta(1042)
            #expect(meta["_tracking_number"] == "9400100000000000000142")
            #expect(meta["_tracking_carrier"] == "USPS")
            #expect(meta["_tracking_status"] == "pre_transit")
            #expect(meta["_vat_check"] == "valid")
            #expect(shop.notes(1042).first?["customer_note"] == true)
            #expect(shop.notes(1042).first?["note"]?.stringValue?.contains("FirstClassPackageInternationalService") == true)

            // Each scan the poll sees moves the order on; delivered completes it. The clock jumps
            // 10 minutes only while no run executes (a jump past a run's lease would let it be
            // claimed again).
            for (index, (status, detail)) in [("in_transit", "arrived_at_facility"), ("out_for_delivery", "out_for_delivery"),
                                              ("delivered", "arrived_at_destination")].enumerated() {
                easypost.track(status, detail: detail)
                server.clock.advance(by: 10 * 60 + 1)
                let runs = try await server.finishedRuns(of: "order-tracking", count: index + 1)
                try #require(runs.count == index + 1, "no run for \(status):\n\(server.logs.text)")
                #expect(runs.allSatisfy { $0.status == .succeeded })
                #expect(shop.meta(1042)["_tracking_status"] == .string(status))
                #expect(shop.status(1042) == (status == "delivered" ? "completed" : "processing"))
            }
            let notes = shop.notes(1042).compactMap { $0["note"]?.stringValue }
            #expect(notes.count == 4)
            #expect(notes[1].hasPrefix("Your parcel is on its way (arrived at facility). Tracking: https://track.easypost.com/"))
            #expect(notes[3].hasPrefix("Your parcel was delivered (arrived at destination)."))

            // A delivered parcel changes no more: the next poll starts nothing.
            server.clock.advance(by: 10 * 60 + 1)
            let advanced = server.clock.now()
            #expect(try await server.eventually(15) {
                try await server.store.pollState(key: "order-tracking#0").map { $0.lastPolledAt >= advanced } ?? false
            })
            #expect(try await server.runs(of: "order-tracking").count == 3)
            #expect(shop.notes(1042).count == 4)
        }
    }

    @Test("a pending order ships nothing; a forged delivery is refused; with VIES down the parcel ships without the VAT number")
    func ordersThatDoNotShipAsUsual() async throws {
        try await withExample(orders: [2001, 2002], vies: VIESStandIn(valid: ["DE811907980"], unavailable: ["DE"])) { server, shop, easypost in
            let pending = Self.order(id: 2001, status: "pending")
            let first = try await server.post("/hooks/shop/order-created", body: pending, headers: Self.headers(pending, delivery: "w-2"))
            #expect(try await server.finished(try #require(first.json?["run_id"]?.stringValue)).status == .succeeded)
            #expect(easypost.created.isEmpty)

            let paid = Self.order(id: 2002)
            let forged = try await server.post("/hooks/shop/order-created", body: paid,
                                               headers: Self.headers(paid, delivery: "w-3", secret: "guessed"))
            #expect(forged.status == 401)

            let reply = try await server.post("/hooks/shop/order-created", body: paid, headers: Self.headers(paid, delivery: "w-4"))
            let run = try await server.finished(try #require(reply.json?["run_id"]?.stringValue))
            #expect(run.status == .succeeded, "\(run.error ?? "")")
            let steps = try await server.steps(of: run)
            #expect(steps["vat"]?.status == .failed)
            #expect(steps["vat"]?.error?.contains("MS_UNAVAILABLE") == true)
            #expect(easypost.created.count == 1)
            #expect(easypost.created.first?["shipment"]?["tax_identifiers"] == nil)
            #expect(shop.meta(2002)["_vat_check"] == "unavailable")
            #expect(shop.meta(2001).isEmpty)
        }
    }
}

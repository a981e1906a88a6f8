import Foundation
import JSONata
import Synchronization

/// The European Commission's VIES `checkVatService` (SOAP 1.1, document/literal): a
/// `checkVat` request in its namespace is answered with `checkVatResponse`; a country that
/// is down answers the fault `MS_UNAVAILABLE` with HTTP 500, as VIES does.
final class VIESStandIn: Sendable {
    static let path = "/taxation_customs/vies/services/checkVatService"
    static let namespace = "urn:ec.europa.eu:taxud:vies:services:checkVat:types"
    let service = StandIn("VIES")
    private let valid: Set<String>
    private let unavailable: Set<String>

    /// Knows `valid` numbers (with their country prefix); countries in `unavailable` are down.
    init(valid: Set<String>, unavailable: Set<String> = []) {
        self.valid = valid
        self.unavailable = unavailable
        service.answer { [unowned self] request in self.answer(request) }
    }

    private func answer(_ request: StandIn.Request) -> StandIn.Reply {
        guard request.method == "POST", request.path == Self.path else { return .text(404, "Not Found") }
        guard request.headers["content-type"]?.hasPrefix("text/xml") == true, request.headers["soapaction"] == "\"\"" else {
            return Self.fault("soap:Client", "Expected a SOAP 1.1 request: text/xml with an empty SOAPAction")
        }
        let body = request.body
        guard body.contains("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""),
              body.contains("<checkVat xmlns=\"\(Self.namespace)\">"),
              let country = Self.element("countryCode", in: body), let number = Self.element("vatNumber", in: body) else {
            return Self.fault("env:Server", "INVALID_INPUT")
        }
        if unavailable.contains(country) { return Self.fault("env:Server", "MS_UNAVAILABLE") }
        let isValid = valid.contains(country + number)
        let name = isValid ? "Musterfirma GmbH" : "---"
        let address = isValid ? "Musterstrasse 1\n10115 Berlin" : "---"
        return .text(200, """
            <env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header/><env:Body>\
            <ns2:checkVatResponse xmlns:ns2="\(Self.namespace)"><ns2:countryCode>\(country)</ns2:countryCode>\
            <ns2:vatNumber>\(number)</ns2:vatNumber><ns2:requestDate>2026-01-05+01:00</ns2:requestDate>\
            <ns2:valid>\(isValid)</ns2:valid><ns2:name>\(name)</ns2:name><ns2:address>\(address)</ns2:address>\
            </ns2:checkVatResponse></env:Body></env:Envelope>
            """, contentType: "text/xml;charset=UTF-8")
    }

    private static func element(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(name)>"), let end = xml.range(of: "</\(name)>", range: start.upperBound..<xml.endIndex) else {
            return nil
        }
        return String(xml[start.upperBound..<end.lowerBound])
    }

    private static func fault(_ code: String, _ text: String) -> StandIn.Reply {
        .text(500, """
            <env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header/><env:Body><env:Fault>\
            <faultcode>\(code)</faultcode><faultstring>\(text)</faultstring></env:Fault></env:Body></env:Envelope>
            """, contentType: "text/xml;charset=UTF-8")
    }
}

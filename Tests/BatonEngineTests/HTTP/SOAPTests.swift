import Hummingbird
import JSONata
import Testing
@testable import BatonEngine

/// SOAP 1.1 envelopes, headers, responses and faults.
@Suite struct SOAPTests {
    static let response = """
        <?xml version="1.0" encoding="utf-8"?>
        <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
          <soap:Body>
            <GetPriceResponse xmlns="http://example.com/stock">
              <Price currency="EUR">34.5</Price>
              <Tags><Tag>a</Tag><Tag>b</Tag></Tags>
            </GetPriceResponse>
          </soap:Body>
        </soap:Envelope>
        """

    static let fault = """
        <?xml version="1.0" encoding="utf-8"?>
        <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
          <soap:Body>
            <soap:Fault>
              <faultcode>soap:Client</faultcode>
              <faultstring>Unknown item &amp; no price</faultstring>
              <detail><ItemError code="E42">PEN-9 does not exist</ItemError></detail>
            </soap:Fault>
          </soap:Body>
        </soap:Envelope>
        """

    @Test func sendsEnvelopeActionAndContentTypeAndReadsTheBodyElement() async throws {
        try await withTestServer({ router, _ in
            router.post("/soap") { _, _ in reply(.ok, Self.response, contentType: "text/xml; charset=utf-8") }
        }) { base, log, client in
            let call = SOAPCall(url: base + "/soap", action: "http://example.com/stock/GetPrice",
                                body: ["GetPrice": ["Item": "PEN & <INK>", "Qty": 2, "Options": ["Option": ["gift", "fast"]],
                                                    "Filter": ["@kind": "a\"b", "#text": "x"], "Empty": nil]],
                                namespace: "http://example.com/stock")
            let result = try await client.soap(call)
            #expect(result.output == ["GetPriceResponse": ["Price": ["@currency": "EUR", "#text": "34.5"], "Tags": ["Tag": ["a", "b"]]]])
            let seen = try #require(log.last(path: "/soap"))
            #expect(seen.method == "POST")
            #expect(seen.header("Content-Type") == "text/xml; charset=utf-8")
            #expect(seen.header("SOAPAction") == #""http://example.com/stock/GetPrice""#)
            #expect(seen.body == """
                <?xml version="1.0" encoding="utf-8"?>
                <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>\
                <GetPrice xmlns="http://example.com/stock"><Item>PEN &amp; &lt;INK&gt;</Item><Qty>2</Qty>\
                <Options><Option>gift</Option><Option>fast</Option></Options><Filter kind="a&quot;b">x</Filter><Empty/></GetPrice>\
                </soap:Body></soap:Envelope>
                """)
        }
    }

    @Test func faultIsAStepErrorWithCodeStringAndDetail() async throws {
        try await withTestServer({ router, _ in
            router.post("/soap") { _, _ in reply(.internalServerError, Self.fault, contentType: "text/xml; charset=utf-8") }
        }) { base, _, client in
            let error = await #expect(throws: StepCallError.self) {
                try await client.soap(SOAPCall(url: base + "/soap", action: "GetPrice", body: ["GetPrice": ["Item": "PEN-9"]]))
            }
            guard case .soapFault(let code, let string, let detail)? = error?.kind else {
                Issue.record("expected a SOAP fault, got \(String(describing: error))")
                return
            }
            #expect(code == "soap:Client")
            #expect(string == "Unknown item & no price")
            #expect(detail == ["ItemError": ["@code": "E42", "#text": "PEN-9 does not exist"]])
            #expect(error?.message == ##"the SOAP call GetPrice to \##(base)/soap returned a SOAP fault (soap:Client) (HTTP 500): Unknown item & no price; detail: {"ItemError":{"@code":"E42","#text":"PEN-9 does not exist"}}"##)
            #expect(error?.jsonValue["fault"]?["faultcode"] == "soap:Client")
            #expect(error.map(RetryClassifier().isRetryable) == false)
        }
    }

    @Test func nonEnvelopeErrorPageIsAStatusError() async throws {
        try await withTestServer({ router, _ in
            router.post("/soap") { _, _ in reply(.badGateway, "<html><body>Bad gateway</body></html>", contentType: "text/html") }
        }) { base, _, client in
            let error = await #expect(throws: StepCallError.self) {
                try await client.soap(SOAPCall(url: base + "/soap", action: "A", body: ["Op": nil]))
            }
            #expect(error?.status == 502)
            #expect(error.map(RetryClassifier().isRetryable) == true)
        }
    }

    @Test func bodyMustHaveOneOperationElement() {
        let call = SOAPCall(url: "http://127.0.0.1:1/soap", action: "A", body: ["A": 1, "B": 2])
        #expect(throws: StepCallError.self) { try call.envelope() }
        let bad = SOAPCall(url: "http://127.0.0.1:1/soap", action: "A", body: ["1st": 1])
        let error = #expect(throws: StepCallError.self) { try bad.envelope() }
        #expect(error?.message.contains("'1st' cannot be an XML element name") == true)
    }
}

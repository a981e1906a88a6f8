import JSONata
import OrderedCollections

extension StepHTTPClient {
    /// Makes one SOAP 1.1 attempt.
    ///
    /// - Throws: ``StepCallError/Kind/soapFault(code:string:detail:)`` for a `soap:Fault`
    ///   (whatever the status), ``StepCallError/Kind/unexpectedStatus(status:body:)`` for a
    ///   non-2xx answer that is not a fault, ``StepCallError/Kind/invalidResponse`` for a body
    ///   that is not a SOAP envelope.
    public func soap(_ call: SOAPCall) async throws -> SOAPResult {
        let httpCall = try call.httpCall()
        let result = try await perform(httpCall)
        let what = "the SOAP call \(call.action) to \(call.url)"
        let tree: XMLTreeElement
        do {
            tree = try XMLJSONMapping.parseTree(result.rawBody)
        } catch {
            if !(200...299).contains(result.status) {
                try check(result, of: httpCall.request, expect: StatusExpectation())
            }
            throw StepCallError(.invalidResponse, message: "\(what) answered \(result.status) with a body that is not XML (\(error.message)): \(StepCallError.excerpt(result.body, raw: result.rawBody)); check the URL and SOAPAction",
                                method: "POST", url: call.url, responseHeaders: result.headers)
        }
        guard tree.name == "Envelope", let body = tree.child("Body") else {
            if !(200...299).contains(result.status) {
                try check(result, of: httpCall.request, expect: StatusExpectation())
            }
            throw StepCallError(.invalidResponse, message: "\(what) answered \(result.status) with <\(tree.qualifiedName)> instead of a SOAP 1.1 Envelope with a Body; check that the endpoint speaks SOAP 1.1",
                                method: "POST", url: call.url, responseHeaders: result.headers)
        }
        if let fault = body.child("Fault") {
            let code = fault.child("faultcode")?.text.trimmed ?? ""
            let string = fault.child("faultstring")?.text.trimmed ?? ""
            let detail = fault.child("detail").map(\.jsonValue)
            let detailText = detail.map { $0 == .null ? "" : "; detail: \(StepCallError.excerpt($0, raw: []))" } ?? ""
            throw StepCallError(.soapFault(code: code, string: string, detail: detail),
                                message: "\(what) returned a SOAP fault \(code.isEmpty ? "" : "(\(code)) ")(HTTP \(result.status)): \(string.isEmpty ? "no faultstring" : string)\(detailText)",
                                method: "POST", url: call.url, responseHeaders: result.headers)
        }
        try check(result, of: httpCall.request, expect: StatusExpectation())
        guard let element = body.children.first else {
            return SOAPResult(http: result, element: .null)
        }
        return SOAPResult(http: result, element: .object([element.name: element.jsonValue]))
    }
}

extension String {
    var trimmed: String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}

extension JSONValue {
    var objectCount: Int? {
        if case .object(let o) = self { return o.count }
        return nil
    }
}

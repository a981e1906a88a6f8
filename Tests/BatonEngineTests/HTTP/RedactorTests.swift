import JSONata
import Testing
@testable import BatonEngine

/// Secrets masked in strings, JSON, headers and audit summaries.
@Suite struct RedactorTests {
    @Test func masksLongestFirstAndSkipsShortValues() {
        let redactor = Redactor(secrets: ["abcd", "abcdef123", "xy"])
        #expect(redactor.secrets == ["abcdef123", "abcd"])
        #expect(redactor.redact("token=abcdef123 key=abcd xy") == "token=*** key=*** xy")
        #expect(redactor.redact("no secrets here") == "no secrets here")
        #expect(Redactor.none.redact("abcdef123") == "abcdef123")
    }

    @Test func masksJSONAndHeaders() {
        let redactor = Redactor(secrets: ["sk_live_123"])
        let value: JSONValue = ["error": "bad key sk_live_123", "list": ["sk_live_123", 5], "sk_live_123": true]
        #expect(redactor.redact(value) == ["error": "bad key ***", "list": ["***", 5], "***": true])
        #expect(redactor.redact(headers: [("X-Echo", "Bearer sk_live_123")]).map(\.1) == ["Bearer ***"])
    }

    @Test func masksTheURLEncodedFormOfASecret() {
        let redactor = Redactor(secrets: ["p@ss word"])
        #expect(redactor.redact("https://h/x?pw=p%40ss%20word") == "https://h/x?pw=***")
    }

    @Test func requestSummaryMasksCredentialsAndTruncatesTheBody() {
        let auth = RequestAuth.apiKey(placement: .header, name: "X-Shop-Key", value: "shop-key-999")
        let redactor = Redactor(secrets: auth.secretValues + ["hunter22"])
        let request = PreparedRequest(method: "POST", url: "https://api.example.com/v1/orders?user=ada&access_token=zzz&note=hunter22",
                                      headers: [("Authorization", "Bearer whatever"), ("X-Shop-Key", "shop-key-999"), ("X-Note", "pw hunter22")],
                                      body: .json(["password": "hunter22", "text": .string(String(repeating: "a", count: 100))]))
        let summary = RequestSummary(request, redactor: redactor, bodyLimit: 40, maskedHeaders: auth.headerNames)
        #expect(summary.url == "https://api.example.com/v1/orders?user=ada&access_token=***&note=***")
        #expect(summary.headers.map(\.1) == ["***", "***", "pw ***"])
        #expect(summary.body == #"{"password":"***","text":"aaaaaaaaaaaaaa…"#)
        #expect(summary.bodyBytes == request.body!.bytes.count)
        #expect(summary.jsonValue["headers"]?["authorization"] == "***")
    }

    @Test func responseSummaryAndRedactedErrors() {
        let redactor = Redactor(secrets: ["tok-abcdef"])
        let result = HTTPResult(status: 200, headers: [("Set-Cookie", "sid=1"), ("X-Echo", "tok-abcdef")], body: nil,
                                rawBody: [1, 2, 3], duration: .milliseconds(1500))
        let summary = ResponseSummary(result, redactor: redactor)
        #expect(summary.jsonValue == ["status": 200, "headers": ["set-cookie": ["***"], "x-echo": "***"], "duration_ms": 1500, "body_bytes": 3])
        let error = StepCallError(.unexpectedStatus(status: 401, body: ["echo": "tok-abcdef"]),
                                  message: "GET https://h/x?key=tok-abcdef answered 401", method: "GET", url: "https://h/x?key=tok-abcdef")
            .redacted(with: redactor)
        #expect(error.message == "GET https://h/x?key=*** answered 401")
        #expect(error.url == "https://h/x?key=***")
        #expect(error.jsonValue["body"] == ["echo": "***"])
    }
}

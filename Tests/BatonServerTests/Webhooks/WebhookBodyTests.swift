import JSONata
import Testing
@testable import BatonServer

/// How a delivery's raw body becomes `trigger.body`, by content type.
struct WebhookBodyTests {
    static func parse(_ body: String, _ contentType: String?) throws(WebhookBodyError) -> JSONValue {
        try WebhookBody.parse(body: Array(body.utf8), contentType: contentType)
    }

    static func error(_ body: [UInt8], _ contentType: String?) -> WebhookBodyError? {
        do {
            _ = try WebhookBody.parse(body: body, contentType: contentType)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [nil, "application/json", "application/x-www-form-urlencoded", "text/plain", "image/png"])
    func anEmptyBodyIsNull(contentType: String?) throws {
        #expect(try WebhookBody.parse(body: [], contentType: contentType) == .null)
    }

    @Test(arguments: [
        "application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8", " application/json ",
        "application/vnd.github+json", "application/cloudevents+json; charset=utf-8", "APPLICATION/MERGE-PATCH+JSON",
    ])
    func jsonTypesAreParsed(contentType: String) throws {
        let value = try Self.parse(#"{"zeta": 1, "alpha": [true, null, "x"]}"#, contentType)
        #expect(value == ["zeta": 1, "alpha": [true, nil, "x"]])
        // Key order is kept, as the sender wrote it.
        #expect(value.description == #"{"zeta":1,"alpha":[true,null,"x"]}"#)
    }

    @Test func jsonScalarsAreJSON() throws {
        #expect(try Self.parse("42", "application/json") == 42)
        #expect(try Self.parse(#""hi""#, "application/json") == "hi")
        #expect(try Self.parse("null", "application/json") == .null)
    }

    @Test(arguments: [
        (#"{"a": 1,}"#, "the body is not valid JSON: expected a string key at line 1, column 9"),
        ("{\n  \"a\": tru\n}", "the body is not valid JSON: unexpected character at line 2, column 8"),
        // Columns count characters, not bytes.
        (#"{"é": x}"#, "the body is not valid JSON: unexpected character at line 1, column 7"),
        (#"{"a": 1} {"b": 2}"#, "the body is not valid JSON: unexpected text after the value at line 1, column 10"),
        ("[1, 2", "the body is not valid JSON: unexpected end of input at line 1, column 6"),
        ("   ", "the body is not valid JSON: unexpected end of input at line 1, column 4"),
        ("\r\n\r\n{", "the body is not valid JSON: expected a string key at line 3, column 2"),
    ])
    func malformedJSONSaysWhatAndWhere(body: String, message: String) {
        #expect(Self.error(Array(body.utf8), "application/json") == WebhookBodyError(status: 400, message: message))
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        #expect(try WebhookBody.parse(body: [0xEF, 0xBB, 0xBF] + Array(#"{"a":1}"#.utf8), contentType: "application/json")
            == ["a": 1])
    }

    @Test func formsBecomeObjects() throws {
        let value = try Self.parse("name=Ada+Lovelace&city=Z%C3%BCrich", "application/x-www-form-urlencoded; charset=UTF-8")
        #expect(value == ["name": "Ada Lovelace", "city": "Zürich"])
    }

    @Test(arguments: [
        "text/plain", "text/plain; charset=utf-8", "TEXT/CSV", "text/xml", "application/xml", "application/octet-stream",
        "application/soap+xml", "multipart/form-data; boundary=x",
    ])
    func otherTextIsAString(contentType: String) throws {
        let body = "<order id=\"7\">Zürich {\"a\": 1}</order>"
        #expect(try Self.parse(body, contentType) == .string(body))
    }

    /// JSON in a `text/plain` body stays text: the sender said so.
    @Test func declaredTextIsNotParsedAsJSON() throws {
        #expect(try Self.parse(#"{"a": 1}"#, "text/plain") == .string(#"{"a": 1}"#))
    }

    @Test(arguments: [nil, ""])
    func withoutAContentTypeJSONIsTriedWhenItLooksLikeJSON(contentType: String?) throws {
        #expect(try Self.parse(#"{"a": [1, 2]}"#, contentType) == ["a": [1, 2]])
        #expect(try Self.parse(" \n [1, 2]", contentType) == [1, 2])
        // Only objects and arrays are guessed; anything else, or anything that fails to parse, is text.
        #expect(try Self.parse("42", contentType) == "42")
        #expect(try Self.parse("{not json", contentType) == "{not json")
        #expect(try Self.parse("name=Ada", contentType) == "name=Ada")
    }

    @Test(arguments: [nil, "application/json", "text/plain", "application/x-www-form-urlencoded", "application/octet-stream"])
    func bytesThatAreNotUTF8AreRefused(contentType: String?) {
        let latin1: [UInt8] = Array(#"{"city": "Z"#.utf8) + [0xFC] + Array(#"rich"}"#.utf8)
        let expected = WebhookBodyError(status: 415, message: "the body is not UTF-8 text; send JSON, a form or text")
        #expect(Self.error(latin1, contentType) == expected)
        #expect(Self.error([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], contentType) == expected)
    }
}

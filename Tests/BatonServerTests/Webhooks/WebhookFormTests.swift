import JSONata
import Testing
@testable import BatonServer

/// `application/x-www-form-urlencoded` bodies.
struct WebhookFormTests {
    static func parse(_ body: String) throws(WebhookBodyError) -> JSONValue {
        try WebhookBody.parse(body: Array(body.utf8), contentType: "application/x-www-form-urlencoded")
    }

    @Test func decodesPlusAndPercentEscapes() throws {
        let value = try Self.parse("text=Hello+world%21&math=1%2B1%3D2&amp=a%26b&emoji=%F0%9F%91%8B&raw=caf%C3%A9+%c3%a9")
        #expect(value == ["text": "Hello world!", "math": "1+1=2", "amp": "a&b", "emoji": "👋", "raw": "café é"])
    }

    @Test func aRepeatedFieldBecomesAnArrayInOrder() throws {
        let value = try Self.parse("tag=b&name=x&tag=a&tag=c")
        #expect(value == ["tag": ["b", "a", "c"], "name": "x"])
        // Fields keep the order of their first appearance.
        #expect(value.description == #"{"tag":["b","a","c"],"name":"x"}"#)
    }

    @Test func fieldsWithoutValuesAndEmptyPiecesAreHandled() throws {
        #expect(try Self.parse("flag&empty=&&a=1=2&") == ["flag": "", "empty": "", "a": "1=2"])
        #expect(try Self.parse("&") == [:])
        #expect(try Self.parse("=x") == ["": "x"])
    }

    /// A `%` that does not start an escape stays as it is, as browsers read it.
    @Test func strayPercentSignsAreKept() throws {
        #expect(try Self.parse("a=100%&b=%zz&c=%4&d=%%41") == ["a": "100%", "b": "%zz", "c": "%4", "d": "%A"])
    }

    @Test func escapesThatAreNotUTF8AreRefused() {
        #expect(throws: WebhookBodyError(status: 400,
                                         message: "the value of form field 'city' is not UTF-8 text after percent-decoding")) {
            try Self.parse("city=Z%FCrich")
        }
        #expect(throws: WebhookBodyError(status: 400,
                                         message: "the form field 'caf%E9' is not UTF-8 text after percent-decoding")) {
            try Self.parse("ok=1&caf%E9=x")
        }
    }
}

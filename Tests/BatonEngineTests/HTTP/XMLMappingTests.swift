import JSONata
import Testing
@testable import BatonEngine

/// XML → JSON for responses, JSON → XML for SOAP bodies.
@Suite struct XMLMappingTests {
    static func parse(_ xml: String) throws -> JSONValue {
        try XMLJSONMapping.parse(Array(xml.utf8))
    }

    @Test func elementsAttributesTextAndRepeats() throws {
        let xml = """
            <?xml version="1.0"?>
            <!-- a comment -->
            <ns:feed xmlns:ns="urn:x" xmlns="urn:y" version="2">
              <title>News &amp; more</title>
              <entry id="1"><title>A</title></entry>
              <entry id="2"><title><![CDATA[<B>]]></title></entry>
              <empty/>
              <gone xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true">x</gone>
              <mixed lang="en">hello <b>world</b></mixed>
              <spaced>  keep  </spaced>
            </ns:feed>
            """
        #expect(try Self.parse(xml) == [
            "feed": [
                "@version": "2",
                "title": "News & more",
                "entry": [["@id": "1", "title": "A"], ["@id": "2", "title": "<B>"]],
                "empty": nil,
                "gone": nil,
                "mixed": ["@lang": "en", "b": "world", "#text": "hello"],
                "spaced": "  keep  ",
            ],
        ])
    }

    @Test func singleChildIsNotAnArray() throws {
        #expect(try Self.parse("<list><item>1</item></list>") == ["list": ["item": "1"]])
    }

    @Test func malformedXMLReportsWhere() {
        let error = #expect(throws: XMLReadError.self) { try Self.parse("<a><b></a>") }
        #expect(error?.message.contains("line 1") == true)
    }

    @Test func entityDeclarationsAreRefused() {
        let bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
            <lolz>&lol2;</lolz>
            """
        let error = #expect(throws: XMLReadError.self) { try Self.parse(bomb) }
        #expect(error?.message == "the document declares an entity (<!ENTITY at line 2); entity declarations are not accepted")
    }

    @Test func writesElementsWithEscaping() throws {
        let value: JSONValue = ["Order": [
            "@id": 7, "@note": "a<b & \"c\"\n", "Line": [["Sku": "A&B", "Qty": 1.5], ["Sku": "C", "Gift": true]],
            "Comment": nil, "Text": ["#text": "5 > 3"],
        ]]
        #expect(try XMLWriter.elements(of: value) == """
            <Order id="7" note="a&lt;b &amp; &quot;c&quot;&#10;"><Line><Sku>A&amp;B</Sku><Qty>1.5</Qty></Line>\
            <Line><Sku>C</Sku><Gift>true</Gift></Line><Comment/><Text>5 &gt; 3</Text></Order>
            """)
        #expect(try XMLWriter.elements(of: ["m:Op": ["@xmlns:m": "urn:m", "m:Arg": 1]]) == #"<m:Op xmlns:m="urn:m"><m:Arg>1</m:Arg></m:Op>"#)
    }

    @Test func refusesWhatXMLCannotCarry() {
        #expect(throws: XMLWriteError.self) { try XMLWriter.elements(of: ["bad name": 1]) }
        #expect(throws: XMLWriteError.self) { try XMLWriter.elements(of: ["a": "bell \u{07}"]) }
        #expect(throws: XMLWriteError.self) { try XMLWriter.elements(of: ["a": ["@x": ["nested": 1]]]) }
        #expect(throws: XMLWriteError.self) { try XMLWriter.elements(of: "text") }
    }

    @Test func roundTripThroughBothMappings() throws {
        let value: JSONValue = ["r": ["@k": "v", "c": ["1", "2"], "d": "x"]]
        #expect(try Self.parse(XMLWriter.elements(of: value)) == value)
    }
}

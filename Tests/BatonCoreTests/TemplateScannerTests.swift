import Testing
@testable import BatonCore

struct TemplateScannerTests {
    @Test func plainTextHasNoExpressions() throws {
        #expect(try TemplateScanner.scan("just text") == [.text("just text")])
        #expect(!TemplateScanner.containsTemplate("costs $5 {not a template}"))
    }

    @Test func splitsTextAndExpressions() throws {
        #expect(try TemplateScanner.scan("Hi ${{ name }}, you owe ${{ total }}!") == [
            .text("Hi "), .expression(source: " name ", offset: 6), .text(", you owe "),
            .expression(source: " total ", offset: 27), .text("!"),
        ])
    }

    @Test func bracesInsideTheExpressionNest() throws {
        #expect(try TemplateScanner.scan(#"${{ {"a": {"b": 1}} }}"#) == [.expression(source: #" {"a": {"b": 1}} "#, offset: 3)])
        #expect(try TemplateScanner.scan("${{ items{name: price} }}") == [.expression(source: " items{name: price} ", offset: 3)])
    }

    @Test func quotedBracesDoNotClose() throws {
        #expect(try TemplateScanner.scan(#"${{ "}}" & '}}' & `}}` }}"#) == [.expression(source: #" "}}" & '}}' & `}}` "#, offset: 3)])
        #expect(try TemplateScanner.scan("${{ a /* }} */ }}") == [.expression(source: " a /* }} */ ", offset: 3)])
    }

    @Test func unclosedOpenerIsAnError() {
        #expect(throws: TemplateScanner.ScanError(message: "'${{' is never closed; end the expression with '}}'", offset: 6)) {
            try TemplateScanner.scan("Hello ${{ name")
        }
        #expect(throws: TemplateScanner.ScanError(message: "'${{' is never closed; end the expression with '}}'", offset: 0)) {
            try TemplateScanner.scan("${{ {a: 1} }")
        }
    }

    @Test func emptyExpressionIsAnError() {
        #expect(throws: TemplateScanner.ScanError(message: "empty expression '${{ }}'; write an expression between the braces", offset: 2)) {
            try TemplateScanner.scan("x ${{  }}")
        }
    }
}

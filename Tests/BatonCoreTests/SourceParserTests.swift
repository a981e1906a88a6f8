import Foundation
import Testing
@testable import BatonCore

/// Bad input of every kind gets one diagnostic with a location, never a crash.
struct SourceParserTests {
    private func firstDiagnostic(_ data: Data) -> String? {
        if case .failure(let diagnostic) = SourceParser.parse(data: data, displayPath: "w.yaml") {
            return diagnostic.description
        }
        return nil
    }

    @Test func tenMegabyteFile() {
        let data = Data(repeating: UInt8(ascii: "a"), count: 10 * 1_048_576)
        #expect(firstDiagnostic(data) ==
            "w.yaml: error: file is 10.0 MiB; a workflow file may be at most 1 MiB, so split it or move data out of it")
    }

    @Test func binaryFile() {
        var data = Data("steps:\n  - id: a\n".utf8)
        data.append(contentsOf: [0x89, 0x50, 0x00, 0x47])
        #expect(firstDiagnostic(data) == "w.yaml:3:3: error: this is a binary file (it holds a NUL byte), not a YAML or JSON workflow")
    }

    @Test func invalidUTF8() {
        #expect(firstDiagnostic(Data([0x73, 0x74, 0xFF, 0xFE, 0x0A])) == "w.yaml: error: file is not valid UTF-8 text; save it as UTF-8")
    }

    @Test func deeplyNestedFlow() {
        let text = "steps: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(firstDiagnostic(Data(text.utf8)) == "w.yaml:1:72: error: values are nested more than 64 levels deep; flatten the structure")
    }

    @Test func deeplyNestedCompactSequences() {
        let text = "steps:\n" + String(repeating: "- ", count: 50_000) + "x\n"
        #expect(firstDiagnostic(Data(text.utf8)) == "w.yaml:2:129: error: values are nested more than 64 levels deep; flatten the structure")
    }

    @Test func deeplyNestedBlocks() {
        var text = ""
        for depth in 0..<100 { text += String(repeating: " ", count: depth) + "k\(depth):\n" }
        text += String(repeating: " ", count: 100) + "end\n"
        #expect(firstDiagnostic(Data(text.utf8)) == "w.yaml:66:66: error: values are nested more than 64 levels deep; flatten the structure")
    }

    @Test func aliasesCannotExplode() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let diagnostic = firstDiagnostic(Data(text.utf8))
        #expect(diagnostic?.contains("error: document has more than 200000 values (are aliases expanding?); simplify it") == true)
    }

    @Test func emptyFile() {
        #expect(firstDiagnostic(Data("# only a comment\n".utf8)) == "w.yaml:1:1: error: file is empty; a workflow needs at least 'steps:'")
    }

    @Test func tabIndentation() {
        #expect(firstDiagnostic(Data("steps:\n\t- id: a\n".utf8)) ==
            "w.yaml:2:1: error: invalid YAML: found character that cannot start any token (while scanning for the next token at line 2); tabs cannot indent YAML, use spaces (and quote values starting with '@' or '`')")
    }

    @Test func unclosedQuote() {
        let diagnostic = firstDiagnostic(Data("steps:\n  - id: \"a\n".utf8))
        #expect(diagnostic?.hasPrefix("w.yaml:3:1: error: invalid YAML: found unexpected end of stream") == true)
    }

    @Test func coreSchemaTyping() {
        #expect(SourceParser.typePlainScalar("yes") == .string("yes"))
        #expect(SourceParser.typePlainScalar("on") == .string("on"))
        #expect(SourceParser.typePlainScalar("True") == .bool(true))
        #expect(SourceParser.typePlainScalar("~") == .null)
        #expect(SourceParser.typePlainScalar("1e3") == .number(1000))
        #expect(SourceParser.typePlainScalar("-.5") == .number(-0.5))
        #expect(SourceParser.typePlainScalar("0o17") == .number(15))
        #expect(SourceParser.typePlainScalar("1_000") == .string("1_000"))
        #expect(SourceParser.typePlainScalar("12:30") == .string("12:30"))
        #expect(SourceParser.typePlainScalar("2026-01-01") == .string("2026-01-01"))
    }
}

import Foundation
import Testing
@testable import BatonCore

/// Each invalid fixture holds one kind of mistake; its `.expected` file holds the exact
/// diagnostics a user sees, one per line, as `baton validate` prints them.
struct InvalidWorkflowTests {
    @Test(arguments: FixturePaths.workflows(in: "invalid"))
    func reportsExactDiagnostics(_ name: String) throws {
        let text = FixturePaths.text("invalid", name)
        let result = WorkflowLoader.load(text: text, file: "invalid/\(name)")
        let expectedName = (name as NSString).deletingPathExtension + ".expected"
        let expected = FixturePaths.text("invalid", expectedName)
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        #expect(!expected.isEmpty, "missing \(expectedName)")
        #expect(result.workflow == nil)
        #expect(result.hasErrors)
        #expect(result.diagnostics.map(\.description) == expected)
    }

    @Test func everyInvalidFixtureHasExpectations() {
        #expect(FixturePaths.workflows(in: "invalid").count >= 25)
    }
}

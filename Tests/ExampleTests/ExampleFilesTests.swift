import BatonCore
import Foundation
import Testing

/// What a reader copies from Examples/ and Workflows/: every workflow file loads without an error
/// or a warning, and each example's README names every secret and setting its workflows read.
@Suite("Example files")
struct ExampleFilesTests {
    static let examples = ["social-scheduler", "webhook-chain", "order-sync", "crosspost"]

    /// Every workflow file of the examples and of Workflows/, relative to the repository root.
    static let workflowFiles: [String] = {
        let folders = examples.map { "Examples/\($0)" } + ["Workflows"]
        return folders.flatMap { folder in
            ((try? WorkflowLoader.workflowFiles(in: Repository.root.appendingPathComponent(folder).path)) ?? [])
                .map { "\(folder)/\(($0 as NSString).lastPathComponent)" }
        }
    }()

    @Test("every workflow file is valid, without warnings", arguments: workflowFiles)
    func valid(_ file: String) {
        let result = WorkflowLoader.load(file: Repository.root.appendingPathComponent(file).path)
        #expect(result.workflow != nil)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description).joined(separator: "\n"))")
    }

    @Test("each example's README names every secret and env setting its workflows read",
          arguments: ["social-scheduler", "webhook-chain", "order-sync"])
    func documented(_ example: String) throws {
        let readme = try Repository.text("Examples/\(example)/README.md")
        let folder = Repository.root.appendingPathComponent("Examples/\(example)").path
        var names = Set<String>()
        for file in try WorkflowLoader.workflowFiles(in: folder) {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            for match in text.matches(of: #/(?:secrets|env)\.([A-Z][A-Z0-9_]*)/#) { names.insert(String(match.1)) }
        }
        #expect(!names.isEmpty)
        for name in names.sorted() {
            #expect(readme.contains("`\(name)`"), "Examples/\(example)/README.md does not mention `\(name)`")
        }
    }
}

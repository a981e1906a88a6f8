import Foundation

/// Paths in the repository, found from this file's own location.
enum Repository {
    /// The repository's root folder.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file of `Examples/example/`.
    static func example(_ example: String, _ file: String) -> URL {
        root.appendingPathComponent("Examples").appendingPathComponent(example).appendingPathComponent(file)
    }

    /// The text of a file under the root.
    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }
}

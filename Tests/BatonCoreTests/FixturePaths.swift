import Foundation

/// Locates the test fixtures beside this file, whatever the working directory.
enum FixturePaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The fixture files of `folder` (`valid` or `invalid`) with a workflow extension, sorted.
    static func workflows(in folder: String) -> [String] {
        let directory = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { ["yaml", "yml", "json"].contains(($0 as NSString).pathExtension) }.sorted()
    }

    static func text(_ folder: String, _ name: String) -> String {
        (try? String(contentsOf: root.appendingPathComponent(folder).appendingPathComponent(name), encoding: .utf8)) ?? ""
    }
}

import ArgumentParser
import BatonCore

/// `baton schema`: prints the JSON Schema of workflow files for editor completion.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of the workflow file format.",
        discussion: """
            Save it and point the YAML language server at it with a first line such as
            # yaml-language-server: $schema=./baton.schema.json
            """
    )

    func run() throws {
        print(WorkflowSchema.text)
    }
}

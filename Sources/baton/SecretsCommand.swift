import ArgumentParser
import BatonCore
import BatonEngine
import BatonStore
import Foundation
import JSONata

/// `baton secrets set|list|delete`: secrets kept encrypted in the database.
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Keep secrets encrypted in the database, for workflows to read as secrets.NAME.",
        discussion: """
            Values are encrypted with AES-GCM under BATON_SECRET_KEY, or a key file created beside the \
            database (FILE.key, mode 0600) on first use: back it up with the database. A stored secret \
            wins over a BATON_SECRET_NAME variable of the same name. Running servers and workers read \
            secrets when they start.
            """,
        subcommands: [Set.self, List.self, Delete.self]
    )

    /// `baton secrets set NAME [--value V]`.
    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Store a secret (the value from --value, or standard input).")

        @Argument(help: "The secret's name: letters, digits and underscores, as in secrets.NAME.")
        var name: String

        @Option(help: "The value; without it, standard input is read (one trailing newline is dropped).")
        var value: String?

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard SecretsCommand.isValidName(name) else {
                throw ValidationError("'\(name)' is not a secret name: use letters, digits and underscores, starting with a letter or underscore")
            }
        }

        func run() async throws {
            var text = value ?? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            if value == nil, text.hasSuffix("\n") { text.removeLast() }
            if value == nil, text.hasSuffix("\r") { text.removeLast() }
            guard !text.isEmpty else {
                printError("error: the value of secret '\(name)' is empty; pass --value or pipe it on standard input")
                throw ExitCode(2)
            }
            let store = try database.openStore()
            guard let vault = try database.vault(create: true) else { throw ExitCode(1) }
            do {
                try await store.putSecret(name: name, sealed: try vault.seal(text, name: name), now: Date())
            } catch {
                printError("error: \(error)")
                throw ExitCode(1)
            }
            printError("secret '\(name)' stored in \(database.db), encrypted with the key from \(vault.keySource)")
        }
    }

    /// `baton secrets list [--json]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the stored secrets' names and dates (never their values).")

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print a JSON array of {name, created_at, updated_at}.")
        var json = false

        func run() async throws {
            let store = try database.openStore()
            let secrets = try await store.sealedSecrets()
            if json {
                let list = secrets.map { secret -> JSONValue in
                    .object(["name": .string(secret.name), "created_at": .string(ISO8601Time.format(secret.createdAt)),
                             "updated_at": .string(ISO8601Time.format(secret.updatedAt))])
                }
                print(JSONValue.array(list).serialized(pretty: true))
                return
            }
            if secrets.isEmpty {
                printError("no secrets stored in \(database.db)")
                return
            }
            let width = secrets.map(\.name.count).max() ?? 0
            for secret in secrets {
                print("\(secret.name.padding(toLength: width, withPad: " ", startingAt: 0))  updated \(ISO8601Time.format(secret.updatedAt))")
            }
        }
    }

    /// `baton secrets delete NAME`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a stored secret.")

        @Argument(help: "The secret's name.")
        var name: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let store = try database.openStore()
            guard try await store.deleteSecret(name: name) else {
                printError("error: no secret named '\(name)' in \(database.db); 'baton secrets list' shows them")
                throw ExitCode(1)
            }
            printError("secret '\(name)' deleted")
        }
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first)) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
    }
}

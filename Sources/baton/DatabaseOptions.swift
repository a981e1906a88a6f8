import ArgumentParser
import BatonEngine
import BatonStore
import Foundation

/// `--db` and `--synchronous`, shared by the commands that open the run database.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "The SQLite database file.")
    var db = "baton.sqlite"

    @Option(help: "How each commit reaches the disk: full (default: durable across power loss), extra, normal (durable across a process crash), or off (tests only).")
    var synchronous = "full"

    func validate() throws {
        guard SQLiteRunStore.Synchronous(rawValue: synchronous.uppercased()) != nil else {
            throw ValidationError("--synchronous must be full, extra, normal or off, not '\(synchronous)'")
        }
    }

    /// Opens the store, or prints why it cannot and exits 1.
    func openStore() throws -> SQLiteRunStore {
        let level = SQLiteRunStore.Synchronous(rawValue: synchronous.uppercased()) ?? .full
        do {
            return try SQLiteRunStore(path: db, configuration: .init(synchronous: level))
        } catch {
            printError("error: cannot open the database \(db): \(error)")
            throw ExitCode(1)
        }
    }
}

extension DatabaseOptions {
    /// The vault of this database's secrets; nil when no key exists yet and `create` is false.
    func vault(create: Bool) throws -> SecretVault? {
        do {
            return try SecretVault.forDatabase(db, environment: ProcessInfo.processInfo.environment, create: create)
        } catch {
            printError("error: \(error.message)")
            throw ExitCode(1)
        }
    }

    /// What runs see: the process environment, and the secrets stored in the database (which
    /// win over `BATON_SECRET_*` variables of the same name).
    func runEnvironment(_ store: SQLiteRunStore) async throws -> RunEnvironment {
        let process = RunEnvironment(process: ProcessInfo.processInfo.environment)
        let sealed = try await store.sealedSecrets()
        guard !sealed.isEmpty else { return process }
        guard let vault = try vault(create: false) else {
            printError("error: \(db) holds \(sealed.count) encrypted secret(s) but their key is missing: set BATON_SECRET_KEY or restore \(db).key")
            throw ExitCode(1)
        }
        do {
            return process.adding(storedSecrets: try await vault.secrets(in: store))
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}

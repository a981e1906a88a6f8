import BatonStore
import Crypto
import Foundation
import JSONata

/// Encrypts secrets for the store with AES-GCM and decrypts them for runs.
///
/// The key comes from `BATON_SECRET_KEY` (base64 of 32 bytes, or any other text, which is
/// hashed with SHA-256 into a key), or from a key file beside the database (`FILE.key`,
/// created with mode 0600 on first use). Each sealed value is bound to its secret's name, so a
/// value copied to another name does not decrypt.
public struct SecretVault: Sendable {
    private let key: SymmetricKey
    /// Where the key came from, for messages (`BATON_SECRET_KEY` or the key file's path).
    public let keySource: String

    /// A vault over an explicit key.
    public init(key: SymmetricKey, keySource: String) {
        self.key = key
        self.keySource = keySource
    }

    /// The vault of database `databasePath`: the key from `environment["BATON_SECRET_KEY"]`,
    /// else the key file `databasePath.key`, created when `create` is true and it is missing.
    ///
    /// - Throws: ``SecretError`` when the key file cannot be read or created.
    public static func forDatabase(_ databasePath: String, environment: [String: String], create: Bool) throws(SecretError) -> SecretVault? {
        if let text = environment["BATON_SECRET_KEY"], !text.isEmpty {
            return SecretVault(key: key(from: text), keySource: "BATON_SECRET_KEY")
        }
        let path = databasePath + ".key"
        if let data = FileManager.default.contents(atPath: path) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let bytes = Data(base64Encoded: text), bytes.count == 32 else {
                throw SecretError("the key file \(path) is not 32 bytes of base64; restore it from a backup, or set BATON_SECRET_KEY")
            }
            return SecretVault(key: SymmetricKey(data: bytes), keySource: path)
        }
        guard create else { return nil }
        let fresh = SymmetricKey(size: .bits256)
        let text = fresh.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        // Created with owner-only permissions from the start: never readable by others, even briefly.
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw SecretError("cannot create the key file \(path); check the folder's permissions, or set BATON_SECRET_KEY")
        }
        return SecretVault(key: fresh, keySource: path)
    }

    /// The key for `BATON_SECRET_KEY`: its bytes when it is base64 of 32 bytes, else its SHA-256.
    static func key(from text: String) -> SymmetricKey {
        if let bytes = Data(base64Encoded: text), bytes.count == 32 { return SymmetricKey(data: bytes) }
        return SymmetricKey(data: SHA256.hash(data: Data(text.utf8)))
    }

    /// Seals `value` for secret `name`.
    public func seal(_ value: String, name: String) throws(SecretError) -> Data {
        do {
            let box = try AES.GCM.seal(Data(value.utf8), using: key, authenticating: Data(name.utf8))
            guard let combined = box.combined else { throw SecretError("AES-GCM gave no combined box") }
            return combined
        } catch let error as SecretError {
            throw error
        } catch {
            throw SecretError("cannot encrypt secret '\(name)': \(error)")
        }
    }

    /// Opens the sealed value of secret `name`.
    public func open(_ sealed: Data, name: String) throws(SecretError) -> String {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            let data = try AES.GCM.open(box, using: key, authenticating: Data(name.utf8))
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw SecretError("secret '\(name)' cannot be decrypted with the key from \(keySource); it was set with another key (set it again, or use the key it was set with)")
        }
    }

    /// Every stored secret, decrypted, by name.
    public func secrets(in store: any SecretStore) async throws -> [String: String] {
        var values: [String: String] = [:]
        for secret in try await store.sealedSecrets() {
            values[secret.name] = try open(secret.sealed, name: secret.name)
        }
        return values
    }
}

/// A secret that cannot be stored or read, with what to do about it.
public struct SecretError: Error, Sendable, CustomStringConvertible {
    /// What went wrong and how to fix it.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

extension RunEnvironment {
    /// This environment with `stored` secrets added; a stored secret wins over a
    /// `BATON_SECRET_*` variable of the same name.
    public func adding(storedSecrets stored: [String: String]) -> RunEnvironment {
        var copy = self
        for name in stored.keys.sorted() { copy.secrets[name] = .string(stored[name]!) }
        return copy
    }
}

import Foundation

/// Where encrypted secrets are kept. The store sees sealed bytes only: encryption and the key
/// belong to the caller (BatonEngine's `SecretVault`).
public protocol SecretStore: Sendable {
    /// Stores or replaces the sealed value of secret `name`.
    func putSecret(name: String, sealed: Data, now: Date) async throws
    /// Every secret with its sealed value, by name.
    func sealedSecrets() async throws -> [StoredSecret]
    /// Deletes secret `name`; returns whether it existed.
    func deleteSecret(name: String) async throws -> Bool
}

/// One stored secret: its name, its sealed value and when it was set.
public struct StoredSecret: Sendable, Hashable {
    /// The name expressions use as `secrets.NAME`.
    public var name: String
    /// The sealed (encrypted and authenticated) value.
    public var sealed: Data
    /// When it was first set.
    public var createdAt: Date
    /// When it was last set.
    public var updatedAt: Date

    /// Creates a value.
    public init(name: String, sealed: Data, createdAt: Date, updatedAt: Date) {
        self.name = name
        self.sealed = sealed
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

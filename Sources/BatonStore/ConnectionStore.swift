import Foundation

/// Where connections' token sets are kept, with a refresh lease per connection that works
/// across processes sharing the database.
///
/// The store sees sealed bytes only: encryption and the key belong to the caller
/// (BatonEngine's `SecretVault`). Every write that stores a token set is one transaction, so
/// a rotated refresh token is durable before anyone uses the access token that came with it.
public protocol ConnectionStore: Sendable {
    /// The stored state of connection `name`, or nil when nothing was ever stored for it.
    func connectionState(name: String) async throws -> ConnectionRecord?
    /// Every stored connection, by name.
    func connectionStates() async throws -> [ConnectionRecord]
    /// Takes the refresh lease of `name` for `owner` until `until` when nobody else holds it
    /// (free, expired, or already `owner`'s), creating the row when needed. Returns the row as
    /// it is after the attempt, read in the same transaction.
    func acquireConnectionLease(name: String, kind: String, owner: String, until: Date, now: Date) async throws -> ConnectionLeaseResult
    /// Gives the lease back, when `owner` holds it.
    func releaseConnectionLease(name: String, owner: String) async throws
    /// Stores a new token set, clears any need for attention and any pending authorization,
    /// and releases `owner`'s lease, in one transaction; returns the row as stored.
    func saveConnectionTokens(name: String, kind: String, sealed: Data, expiresAt: Date?, releasing owner: String?,
                              now: Date) async throws -> ConnectionRecord
    /// Marks the connection as needing a person (`baton connect NAME`), saying why, and
    /// releases `owner`'s lease, in one transaction.
    func markConnectionNeedsAttention(name: String, kind: String, reason: String, releasing owner: String?, now: Date) async throws
    /// Keeps the sealed state of an authorization in progress (PKCE verifier, state,
    /// redirect URI) for `baton connect NAME --code CODE`.
    func savePendingAuthorization(name: String, kind: String, sealed: Data, now: Date) async throws
    /// Forgets everything stored for `name`; returns whether there was anything.
    func deleteConnectionState(name: String) async throws -> Bool
}

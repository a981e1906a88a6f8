import Foundation

/// What the store holds for one connection. Token values are sealed; times are in clear so
/// that lists can show them without the key.
public struct ConnectionRecord: Sendable, Hashable {
    /// The connection's name.
    public var name: String
    /// Its auth kind as users write it (`oauth2 authorization_code`, `session`, ...).
    public var kind: String
    /// The sealed token set, when one was stored.
    public var sealedTokens: Data?
    /// When the access token expires, when known.
    public var expiresAt: Date?
    /// How many token sets were stored; a waiter sees a refresh finish when it grows.
    public var generation: Int64
    /// Why the connection needs a person, when it does.
    public var attention: String?
    /// When it started needing one.
    public var attentionAt: Date?
    /// Who holds the refresh lease, and until when.
    public var leaseOwner: String?
    /// Until when the lease is held.
    public var leaseExpiresAt: Date?
    /// The sealed state of an authorization in progress.
    public var pendingAuthorization: Data?
    /// When the last token set was stored.
    public var refreshedAt: Date?
    /// When the row was created.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date

    /// Creates a record.
    public init(name: String, kind: String, sealedTokens: Data? = nil, expiresAt: Date? = nil, generation: Int64 = 0,
                attention: String? = nil, attentionAt: Date? = nil, leaseOwner: String? = nil, leaseExpiresAt: Date? = nil,
                pendingAuthorization: Data? = nil, refreshedAt: Date? = nil, createdAt: Date, updatedAt: Date) {
        self.name = name
        self.kind = kind
        self.sealedTokens = sealedTokens
        self.expiresAt = expiresAt
        self.generation = generation
        self.attention = attention
        self.attentionAt = attentionAt
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
        self.pendingAuthorization = pendingAuthorization
        self.refreshedAt = refreshedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether someone other than `owner` holds an unexpired lease at `now`.
    public func isLeased(byOtherThan owner: String, at now: Date) -> Bool {
        guard let leaseOwner, let leaseExpiresAt else { return false }
        return leaseOwner != owner && leaseExpiresAt > now
    }
}

/// The outcome of ``ConnectionStore/acquireConnectionLease(name:kind:owner:until:now:)``.
public struct ConnectionLeaseResult: Sendable, Hashable {
    /// Whether the caller now holds the lease.
    public var acquired: Bool
    /// The row after the attempt.
    public var record: ConnectionRecord

    /// Creates a result.
    public init(acquired: Bool, record: ConnectionRecord) {
        self.acquired = acquired
        self.record = record
    }
}

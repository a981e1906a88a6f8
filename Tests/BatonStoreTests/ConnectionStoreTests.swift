import BatonStore
import Foundation
import Testing

/// Connections' token sets and refresh leases: one refresher at a time across stores on one
/// file, token sets stored with the lease released in one transaction, attention marks.
struct ConnectionStoreTests {
    @Test(arguments: StoreFactory.all)
    func leaseIsHeldByOneOwnerUntilItExpires(factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = try #require(fixture.store as? any ConnectionStore)
            let first = try await store.acquireConnectionLease(name: "x", kind: "session", owner: "A", until: T.at(30), now: T.at(0))
            #expect(first.acquired)
            #expect(first.record.leaseOwner == "A")
            let refused = try await store.acquireConnectionLease(name: "x", kind: "session", owner: "B", until: T.at(31), now: T.at(1))
            #expect(!refused.acquired)
            #expect(refused.record.leaseOwner == "A")
            #expect(refused.record.isLeased(byOtherThan: "B", at: T.at(1)))
            let renewed = try await store.acquireConnectionLease(name: "x", kind: "session", owner: "A", until: T.at(40), now: T.at(2))
            #expect(renewed.acquired)
            #expect(renewed.record.leaseExpiresAt == T.at(40))
            let taken = try await store.acquireConnectionLease(name: "x", kind: "session", owner: "B", until: T.at(70), now: T.at(40))
            #expect(taken.acquired)
            #expect(taken.record.leaseOwner == "B")
            try await store.releaseConnectionLease(name: "x", owner: "A")
            #expect(try await store.connectionState(name: "x")?.leaseOwner == "B")
            try await store.releaseConnectionLease(name: "x", owner: "B")
            #expect(try await store.connectionState(name: "x")?.leaseOwner == nil)
        }
    }

    @Test(arguments: StoreFactory.all)
    func tokensAreStoredAndTheLeaseReleasedInOneWrite(factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = try #require(fixture.store as? any ConnectionStore)
            _ = try await store.acquireConnectionLease(name: "x", kind: "oauth2 authorization_code", owner: "A", until: T.at(30), now: T.at(0))
            try await store.savePendingAuthorization(name: "x", kind: "oauth2 authorization_code", sealed: Data([7]), now: T.at(1))
            let saved = try await store.saveConnectionTokens(name: "x", kind: "oauth2 authorization_code", sealed: Data([1, 2]),
                                                             expiresAt: T.at(3600), releasing: "A", now: T.at(2))
            #expect(saved.generation == 1)
            #expect(saved.leaseOwner == nil)
            #expect(saved.pendingAuthorization == nil)
            #expect(saved.refreshedAt == T.at(2))
            // A second process on the same file sees the committed set.
            let other = try #require(try fixture.openAnother() as? any ConnectionStore)
            let seen = try #require(try await other.connectionState(name: "x"))
            #expect(seen.sealedTokens == Data([1, 2]))
            #expect(seen.expiresAt == T.at(3600))
            // Saving for an owner that does not hold the lease stores the set and leaves the lease alone.
            _ = try await store.acquireConnectionLease(name: "x", kind: "oauth2 authorization_code", owner: "B", until: T.at(60), now: T.at(3))
            let again = try await store.saveConnectionTokens(name: "x", kind: "oauth2 authorization_code", sealed: Data([3]),
                                                             expiresAt: nil, releasing: "A", now: T.at(4))
            #expect(again.generation == 2)
            #expect(again.leaseOwner == "B")
            #expect(again.expiresAt == nil)
        }
    }

    @Test(arguments: StoreFactory.all)
    func attentionIsMarkedUntilTheNextTokenSet(factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = try #require(fixture.store as? any ConnectionStore)
            _ = try await store.acquireConnectionLease(name: "x", kind: "session", owner: "A", until: T.at(30), now: T.at(0))
            try await store.markConnectionNeedsAttention(name: "x", kind: "session", reason: "refused", releasing: "A", now: T.at(1))
            try await store.markConnectionNeedsAttention(name: "x", kind: "session", reason: "refused again", releasing: nil, now: T.at(5))
            let marked = try #require(try await store.connectionState(name: "x"))
            #expect(marked.attention == "refused again")
            #expect(marked.attentionAt == T.at(1))
            #expect(marked.leaseOwner == nil)
            let saved = try await store.saveConnectionTokens(name: "x", kind: "session", sealed: Data([1]), expiresAt: nil,
                                                             releasing: nil, now: T.at(6))
            #expect(saved.attention == nil)
            #expect(saved.attentionAt == nil)
            #expect(try await store.connectionStates().map(\.name) == ["x"])
            #expect(try await store.deleteConnectionState(name: "x"))
            #expect(!(try await store.deleteConnectionState(name: "x")))
            #expect(try await store.connectionState(name: "x") == nil)
        }
    }

    @Test(arguments: StoreFactory.all)
    func exactlyOneOfManyProcessesTakesTheLease(factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            var stores: [any ConnectionStore] = [try #require(fixture.store as? any ConnectionStore)]
            for _ in 0..<3 { stores.append(try #require(try fixture.openAnother() as? any ConnectionStore)) }
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for (index, store) in stores.enumerated() {
                    for attempt in 0..<5 {
                        group.addTask {
                            try await store.acquireConnectionLease(name: "x", kind: "session", owner: "P\(index)-\(attempt)",
                                                                   until: T.at(30), now: T.at(0)).acquired
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
        }
    }
}

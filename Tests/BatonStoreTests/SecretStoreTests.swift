import BatonStore
import Foundation
import Testing

/// Sealed secrets in the store: set, replace, list by name, delete.
struct SecretStoreTests {
    @Test(arguments: StoreFactory.all)
    func secretsAreReplacedListedAndDeleted(factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = try #require(fixture.store as? any SecretStore)
            try await store.putSecret(name: "B", sealed: Data([1, 2, 3]), now: T.at(0))
            try await store.putSecret(name: "A", sealed: Data([9]), now: T.at(1))
            try await store.putSecret(name: "B", sealed: Data([4, 5]), now: T.at(2))
            let listed = try await store.sealedSecrets()
            #expect(listed.map(\.name) == ["A", "B"])
            #expect(listed[1].sealed == Data([4, 5]))
            #expect(listed[1].createdAt == T.at(0))
            #expect(listed[1].updatedAt == T.at(2))
            #expect(try await store.deleteSecret(name: "A"))
            #expect(!(try await store.deleteSecret(name: "A")))
            #expect(try await store.sealedSecrets().map(\.name) == ["B"])
        }
    }
}

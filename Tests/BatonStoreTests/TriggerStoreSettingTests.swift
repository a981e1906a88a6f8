import BatonStore
import Foundation
import Testing

/// Conformance: server settings, where the first value stored for a key wins everywhere.
struct TriggerStoreSettingTests {
    @Test("a setting is stored once; later inserts return the first value", arguments: StoreFactory.all)
    func insertIfAbsent(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let store = fixture.store
            let before = try await store.setting("api_token")
            #expect(before == nil)
            #expect(try await store.insertSettingIfAbsent("api_token", value: "first", now: T.zero) == "first")
            #expect(try await store.insertSettingIfAbsent("api_token", value: "second", now: T.at(1)) == "first")
            #expect(try await store.setting("api_token") == "first")
            // Another process sees it after a restart.
            #expect(try await fixture.openAnother().setting("api_token") == "first")
            #expect(try await store.setting("signing_key") == nil)
        }
    }

    @Test("two processes generating a setting at once agree on one value", arguments: StoreFactory.all)
    func race(_ factory: StoreFactory) async throws {
        try await factory.withFixture { fixture in
            let stores = [fixture.store, try fixture.openAnother()]
            let returned = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<16 {
                    group.addTask {
                        try await stores[index % 2].insertSettingIfAbsent("api_token", value: "token-\(index)", now: T.zero)
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(returned.count == 16)
            #expect(Set(returned).count == 1)
            let winner = try #require(returned.first)
            #expect(try await stores[0].setting("api_token") == winner)
            #expect(try await stores[1].setting("api_token") == winner)
        }
    }
}

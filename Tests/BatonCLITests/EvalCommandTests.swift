import Foundation
import Testing

/// `baton eval`, run as the real binary.
struct EvalCommandTests {
    @Test func printsTheResultAsJSON() async throws {
        let output = try await BatonProcess.runAsync(["eval", "0.1 + 0.2"])
        #expect(output.status == 0)
        #expect(output.stdout == "0.30000000000000004\n")
    }

    @Test func evaluatesAgainstData() async throws {
        let output = try await BatonProcess.runAsync(["eval", "items[price > 5].name", "--data", #"{"items":[{"name":"a","price":3},{"name":"b","price":9}]}"#])
        #expect(output.stdout == "\"b\"\n")
        let fromStdin = try await BatonProcess.runAsync(["eval", "$sum(items.price)", "--data", "@-"], input: #"{"items":[{"price":3},{"price":9}]}"#)
        #expect(fromStdin.stdout == "12\n")
    }

    @Test func undefinedPrintsNothing() async throws {
        let output = try await BatonProcess.runAsync(["eval", "nothing.here", "--data", "{}"])
        #expect(output.status == 0)
        #expect(output.stdout == "")
    }

    @Test func errorsPrintCodeAndPosition() async throws {
        let output = try await BatonProcess.runAsync(["eval", "1 + "])
        #expect(output.status == 1)
        #expect(output.stdout == "")
        #expect(output.stderr.hasPrefix("error: S0207 at position 4: "))
        let typeError = try await BatonProcess.runAsync(["eval", "\"a\" + 1"])
        #expect(typeError.status == 1)
        #expect(typeError.stderr.hasPrefix("error: T2001 at position "))
    }

    @Test func badDataIsAUsageError() async throws {
        let output = try await BatonProcess.runAsync(["eval", "a", "--data", "{not json"])
        #expect(output.status == 2)
        #expect(output.stderr.hasPrefix("error: --data is not valid JSON"))
    }
}

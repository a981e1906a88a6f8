import OrderedCollections
import Testing

@testable import JSONata

/// Member lookup compares keys by their string words first (`KeyProbe`); these pin that it finds
/// exactly what `==` finds, whatever form each string is in.
struct KeyLookupTests {
    /// The same text in the long form a string takes when it was given room to grow.
    static func longForm(_ s: String) -> String {
        var grown = String()
        grown.reserveCapacity(64)
        grown.append(s)
        return grown
    }

    @Test func theLayoutItReadsIsTheOneThisToolchainUses() {
        #expect(KeyProbe.layoutHolds)
    }

    @Test(arguments: ["id", "avatar_url", "exactly15bytes!", "sixteen-bytes-ok", "clé", "naïve-long-key-é", ""])
    func aKeyIsFoundInEveryFormAndOnlyItself(_ key: String) {
        let others = ["ic", "avatar_urk", "exactly15bytes?", "sixteen-bytes-no", "cle", "naive-long-key-e", " "]
        for candidate in [key, Self.longForm(key), String(decoding: Array(key.utf8), as: UTF8.self)] {
            let object: OrderedDictionary<String, JSONValue> = [others[0]: .null, candidate: .number(1), others[1]: .null]
            #expect(objectLookup(object, key) == .number(1), "\(key)")
            #expect(objectLookup(object, Self.longForm(key)) == .number(1), "\(key)")
            for other in others where other != key {
                let without: OrderedDictionary<String, JSONValue> = [other: .number(2)]
                #expect(objectLookup(without, key) == nil, "\(key) against \(other)")
            }
        }
    }

    /// `$distinct` matches strings the same way: the same text in any form is one value.
    @Test func distinctKeepsOneOfEachTextWhateverItsForm() throws {
        let texts = ["id", "exactly15bytes!", "sixteen-bytes-ok", "clé", "naïve-long-key-é", ""]
        var items: [JSONValue] = []
        for text in texts {
            items += [.string(text), .string(Self.longForm(text)), .string(String(decoding: Array(text.utf8), as: UTF8.self))]
        }
        items += [.string("ID"), .number(1), .string("1"), .null]
        let result = try JSONata.Expression("$distinct(v)").evaluate(.object(["v": .array(items)]))
        #expect(result == .array(texts.map { .string($0) } + [.string("ID"), .number(1), .string("1"), .null]))
    }

    /// `=` decides from the strings' words where it can (`sameText`); text in either form equals
    /// the same text in the other, and only it.
    @Test func equalityHoldsForTheSameTextInEveryForm() throws {
        let texts = ["id", "exactly15bytes!", "sixteen-bytes-ok", "clé", "naïve-long-key-é", "", "e\u{301}"]
        let expression = try JSONata.Expression("a = b")
        for x in texts {
            for y in texts {
                for (a, b) in [(x, y), (Self.longForm(x), y), (x, Self.longForm(y)), (Self.longForm(x), Self.longForm(y))] {
                    let result = try expression.evaluate(.object(["a": .string(a), "b": .string(b)]))
                    #expect(result == .bool(x.utf8.elementsEqual(y.utf8)), "\(x) = \(y)")
                }
            }
        }
    }

    @Test func pathsFindMembersWhoseKeysTookTheLongForm() throws {
        let input = JSONValue.object([Self.longForm("name"): .string("Ada"), "id": .number(7)])
        #expect(try JSONata.Expression("name").evaluate(input) == .string("Ada"))
        #expect(try JSONata.Expression("nam").evaluate(input) == nil)
    }
}

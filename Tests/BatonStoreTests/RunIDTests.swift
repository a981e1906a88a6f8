import BatonStore
import Foundation
import Testing

/// Run ids and paging cursors.
struct RunIDTests {
    @Test("run ids are 26 Crockford base32 characters that sort by creation time")
    func runIDs() {
        let alphabet = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var ids: [String] = []
        for offset in 0..<200 {
            ids.append(RunID.make(now: T.at(Double(offset) * 0.001)))
        }
        #expect(ids.allSatisfy { $0.count == 26 && $0.allSatisfy(alphabet.contains) })
        #expect(Set(ids).count == ids.count)
        #expect(ids.map { $0.prefix(10) } == ids.map { $0.prefix(10) }.sorted())
        #expect(RunID.make(now: Date(timeIntervalSince1970: 0)).hasPrefix("0000000000"))
        #expect(RunID.make(now: T.at(1)) > RunID.make(now: T.zero))
    }

    @Test("a cursor survives its text form, and malformed text is refused")
    func cursors() {
        let cursor = RunCursor("1750000000123.01JXT21Q00VE7XKXYNV9VS7TSZ")
        #expect(cursor?.createdAtMilliseconds == 1_750_000_000_123)
        #expect(cursor?.runID == "01JXT21Q00VE7XKXYNV9VS7TSZ")
        #expect(cursor.map { RunCursor($0.description) } == cursor)
        #expect(RunCursor("a.b") == nil)
        #expect(RunCursor("123.") == nil)
        #expect(RunCursor("123") == nil)
        #expect(RunCursor("123.id.with.dots")?.runID == "id.with.dots")
    }

    @Test("stored times round-trip to the millisecond")
    func times() {
        let date = Date(timeIntervalSince1970: 1_750_000_000.123)
        #expect(StoreTime.date(milliseconds: StoreTime.milliseconds(date)) == StoreTime.truncated(date))
        #expect(StoreTime.milliseconds(StoreTime.date(milliseconds: 1_750_000_000_123)) == 1_750_000_000_123)
    }
}

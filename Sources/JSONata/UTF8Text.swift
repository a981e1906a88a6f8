import Foundation

// Text helpers of the string built-ins, working on UTF-8 bytes: searching, counting and slicing
// by code point, replacing, joining.

/// Finds `needle` in `haystack` (by UTF-8 code units, equivalent to code point matching).
func findSubstring(_ haystack: String, _ needle: String) -> Range<String.Index>? {
    if needle.isEmpty { return haystack.startIndex..<haystack.startIndex }
    var h = haystack, n = needle
    return h.withUTF8 { hb -> Range<String.Index>? in
        n.withUTF8 { nb -> Range<String.Index>? in
            let hc = hb.count, nc = nb.count
            if nc > hc { return nil }
            let first = nb[0]
            let base = UnsafeRawPointer(hb.baseAddress!)
            var i = 0
            while i <= hc - nc {
                // memchr finds candidate first bytes much faster than a byte loop
                guard let p = memchr(base + i, Int32(first), hc - nc - i + 1) else { return nil }
                i = UnsafeRawPointer(p) - base
                var j = 1
                while j < nc && hb[i + j] == nb[j] { j += 1 }
                if j == nc {
                    // utf8 offsets from startIndex are O(1) on native strings (building the
                    // start via `utf16Offset:` went through a slow generic path)
                    let a = haystack.utf8.index(haystack.utf8.startIndex, offsetBy: i)
                    let b = haystack.utf8.index(a, offsetBy: nc)
                    return a..<b
                }
                i += 1
            }
            return nil
        }
    }
}

/// Whether two texts are the same to JavaScript: the same code units. Swift's `==` also holds for
/// canonically equivalent texts ("é" and "e" followed by a combining acute accent), which are
/// different strings to the reference, for `=`, `in` and `$distinct` alike.
///
/// Decided from the two strings' words when it can (the layout `KeyProbe` reads, checked by a
/// test): the same words are the same text (the same small text, or the same storage and
/// length), and two small texts with different words differ. Otherwise the bytes are compared,
/// never through `==`, which normalizes non-ASCII text first.
@inline(__always) func sameText(_ x: String, _ y: String) -> Bool {
    let (x0, x1) = stringWords(x), (y0, y1) = stringWords(y)
    if x0 == y0 && x1 == y1 { return true }
    if (x1 & y1) >> 61 & 1 == 1 { return false }
    return sameUTF8(x, y)
}

/// Whether two texts have the same bytes (kept out of line: `sameText` settles most cases
/// before it).
@inline(never) func sameUTF8(_ x: String, _ y: String) -> Bool {
    let count = x.utf8.count
    guard count == y.utf8.count else { return false }
    var a = x, b = y
    return a.withUTF8 { p in b.withUTF8 { q in count == 0 || memcmp(p.baseAddress!, q.baseAddress!, count) == 0 } }
}

/// The `count` texts `part` gives, joined with `separator` (gathered first, to size the result once).
@inline(__always) func joinedStrings(_ count: Int, separator: String, _ part: (Int) -> String) -> String {
    withUnsafeTemporaryAllocation(of: String.self, capacity: count) { buffer in
        let base = buffer.baseAddress!
        var length = separator.utf8.count &* max(count &- 1, 0)
        for index in 0..<count {
            let text = part(index)
            length &+= text.utf8.count
            (base + index).initialize(to: text)
        }
        defer { base.deinitialize(count: count) }
        return joined(UnsafeBufferPointer(start: base, count: count), separator: separator, length: length)
    }
}

/// A string of the UTF-8 bytes `write` puts at the start of a buffer of `capacity` bytes and
/// returns the count of, which the caller guarantees are valid UTF-8 (whole strings, or pieces cut
/// at code point boundaries). `String(unsafeUninitializedCapacity:)` would check them again, at
/// 9-12 instructions a byte for non-ASCII text; appending piece by piece costs a hundred or more
/// an append. Results of up to 15 bytes are small strings, whose checked making is cheaper still.
@inline(__always) func stringOfValidUTF8(
    capacity: Int, isASCII: Bool = false, _ write: (UnsafeMutablePointer<UInt8>) -> Int
) -> String {
    #if compiler(>=6.2)
    if capacity > 15, #available(macOS 26.0, iOS 26.0, watchOS 26.0, tvOS 26.0, visionOS 26.0, *) {
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            let count = write(buffer.baseAddress!)
            let bytes = Span(_unsafeElements: UnsafeBufferPointer(rebasing: buffer[..<count]))
            return String(copying: UTF8Span(unchecked: bytes, isKnownASCII: isASCII))
        }
    }
    #endif
    // small strings, compilers before Swift 6.2 and Apple systems older than UTF8Span: the
    // checked making
    return String(unsafeUninitializedCapacity: capacity) { out in capacity == 0 ? 0 : write(out.baseAddress!) }
}

/// Copies the UTF-8 bytes of `s` to `destination` (room for them is the caller's); returns how many.
@inline(__always) func writeUTF8(_ s: String, to destination: UnsafeMutablePointer<UInt8>) -> Int {
    if let count = s.utf8.withContiguousStorageIfAvailable({ bytes -> Int in
        if let start = bytes.baseAddress { destination.initialize(from: start, count: bytes.count) }
        return bytes.count
    }) {
        return count
    }
    var count = 0
    for byte in s.utf8 {
        destination[count] = byte
        count &+= 1
    }
    return count
}

/// Number of Unicode code points (what the reference's `$length` counts).
func scalarCount(_ s: String) -> Int {
    var str = s
    return str.withUTF8 { b -> Int in
        guard let base = b.baseAddress else { return 0 }
        return b.count &- continuationBytes(UnsafeRawPointer(base), b.count)
    }
}

/// Continuation bytes (`10xxxxxx`) among the `n` bytes at `base`, counted eight at a time:
/// every code point has exactly one byte that is not a continuation byte.
@inline(__always) func continuationBytes(_ base: UnsafeRawPointer, _ n: Int) -> Int {
    var count = 0
    var i = 0
    while i &+ 8 <= n {
        count &+= continuationBits(base.loadUnaligned(fromByteOffset: i, as: UInt64.self)).nonzeroBitCount
        i &+= 8
    }
    while i < n {
        if base.load(fromByteOffset: i, as: UInt8.self) & 0xC0 == 0x80 { count &+= 1 }
        i &+= 1
    }
    return count
}

/// Bit 7 set in each byte of `word` that is a continuation byte (bit 7 set, bit 6 clear).
@inline(__always) func continuationBits(_ word: UInt64) -> UInt64 {
    word & ~(word << 1) & 0x8080_8080_8080_8080
}

/// Byte offset of code point number `k` (0-based) in the `n` UTF-8 bytes at `base`, or `n`
/// when there are no more than `k` code points.
func byteOffset(ofScalar k: Int, _ base: UnsafeRawPointer, _ n: Int) -> Int {
    var remaining = k
    var i = 0
    // skip whole words while they hold fewer code point starts than are left to skip
    while i &+ 8 <= n {
        let starts = 8 &- continuationBits(base.loadUnaligned(fromByteOffset: i, as: UInt64.self)).nonzeroBitCount
        if starts > remaining { break }
        remaining &-= starts
        i &+= 8
    }
    while i < n {
        if base.load(fromByteOffset: i, as: UInt8.self) & 0xC0 != 0x80 {
            if remaining == 0 { return i }
            remaining &-= 1
        }
        i &+= 1
    }
    return n
}

/// Replaces every (or the first `limit`) occurrence of `pattern` in `s`, comparing UTF-8 bytes.
/// Matches of a whole pattern start and end on code point boundaries, so the pieces between them
/// are valid UTF-8 and the result is written once without being checked again.
func replaceLiteral(_ s: String, _ pattern: String, _ replacement: String, limit: Int?) -> String {
    var hay = s, pat = pattern, rep = replacement
    // where the matches start
    let matches: ContiguousArray<Int> = hay.withUTF8 { h in
        pat.withUTF8 { p in
            let n = h.count, m = p.count
            var found = ContiguousArray<Int>()
            guard m > 0, m <= n else { return found }
            let base = UnsafeRawPointer(h.baseAddress!)
            var i = 0
            while i + m <= n && (limit == nil || found.count < limit!) {
                // memchr finds the next candidate first byte much faster than a byte loop
                guard let candidate = memchr(base + i, Int32(p[0]), n - m - i + 1) else { break }
                i = UnsafeRawPointer(candidate) - base
                var j = 1
                while j < m && h[i + j] == p[j] { j += 1 }
                if j < m {
                    i += 1
                    continue
                }
                // room for several at once: growing one at a time reallocated at 1, 2 and 4
                if found.isEmpty { found.reserveCapacity(8) }
                found.append(i)
                i += m
            }
            return found
        }
    }
    if matches.isEmpty { return s }
    let m = pat.utf8.count
    let length = hay.utf8.count &+ matches.count &* (rep.utf8.count &- m)
    return hay.withUTF8 { h in
        rep.withUTF8 { r in
            stringOfValidUTF8(capacity: length) { out in
                var written = 0, start = 0
                func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
                    if let from = bytes.baseAddress, !bytes.isEmpty {
                        (out + written).initialize(from: from, count: bytes.count)
                    }
                    written &+= bytes.count
                }
                for at in matches {
                    copy(UnsafeBufferPointer(rebasing: h[start..<at]))
                    copy(r)
                    start = at &+ m
                }
                copy(UnsafeBufferPointer(rebasing: h[start...]))
                return written
            }
        }
    }
}

/// Whether every byte is below 0x80, read eight at a time.
@inline(__always) func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    var high: UInt64 = 0
    var i = 0
    while i &+ 8 <= bytes.count {
        high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        i &+= 8
    }
    while i < bytes.count {
        high |= UInt64(bytes[i])
        i &+= 1
    }
    return high & 0x8080_8080_8080_8080 == 0
}

/// The code points of `s` from `start` up to `end` (nil: to the end), both counted from the
/// start and at least 0, past the end meaning the end: found by counting code points only as far
/// as the slice reaches, where `codePointSlice(_:_:_:count:)` counts them all first.
func codePointSlice(_ s: String, from start: Int, to end: Int?) -> String {
    var str = s
    var ascii = false
    let bytes: Range<Int> = str.withUTF8 { buf in
        guard let base = buf.baseAddress else { return 0..<0 }
        let raw = UnsafeRawPointer(base)
        let from = byteOffset(ofScalar: start, raw, buf.count)
        let to = end.map { from + byteOffset(ofScalar: Swift.max($0 - start, 0), raw + from, buf.count - from) } ?? buf.count
        ascii = isASCII(UnsafeBufferPointer(rebasing: buf[from..<to]))
        return from..<to
    }
    if bytes.isEmpty { return "" }
    if bytes.lowerBound == 0 && bytes.upperBound == str.utf8.count { return s }
    return slice(&str, bytes, ascii: ascii)
}

/// The bytes `bytes` of `str` (on code point boundaries) as a string, copied without being
/// checked again.
private func slice(_ str: inout String, _ bytes: Range<Int>, ascii: Bool) -> String {
    str.withUTF8 { buf in
        stringOfValidUTF8(capacity: bytes.count, isASCII: ascii) { out in
            out.initialize(from: buf.baseAddress! + bytes.lowerBound, count: bytes.count)
            return bytes.count
        }
    }
}

/// JavaScript-style slice over Unicode code points (the reference uses `Array.from(str)`).
func codePointSlice(_ s: String, _ start: Int, _ end: Int?, count knownCount: Int? = nil) -> String {
    let count = knownCount ?? scalarCount(s)
    var a = start < 0 ? max(count + start, 0) : min(start, count)
    var b = end.map { $0 < 0 ? max(count + $0, 0) : min($0, count) } ?? count
    if a > count { a = count }
    if b < a { b = a }
    if a == 0 && b == count { return s }
    var str = s
    var ascii = false
    let bytes: Range<Int>? = str.withUTF8 { buf in
        guard let base = buf.baseAddress else { return nil }
        if count == buf.count {
            // ASCII: code points are bytes
            ascii = true
            return a..<b
        }
        let raw = UnsafeRawPointer(base)
        let from = byteOffset(ofScalar: a, raw, buf.count)
        return from..<(from + byteOffset(ofScalar: b - a, raw + from, buf.count - from))
    }
    guard let bytes else { return "" }
    return slice(&str, bytes, ascii: ascii)
}

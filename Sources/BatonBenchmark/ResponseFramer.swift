import NIOCore

/// Splits a stream of HTTP/1.1 responses into whole responses: status, body, and nothing else
/// (the load client needs no more, and a full parser would cost the client more CPU than the
/// server it measures). Only `Content-Length` framing is supported, as Baton's server answers.
struct ResponseFramer {
    /// One response taken off the stream.
    struct Response {
        var status: Int
        var body: ByteBuffer
    }

    /// A response the framer cannot read.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    private var pending: ByteBuffer?

    /// Appends bytes read from the connection.
    mutating func append(_ bytes: inout ByteBuffer) {
        if pending == nil || pending!.readableBytes == 0 {
            pending = bytes
        } else {
            pending!.writeBuffer(&bytes)
        }
    }

    /// The next whole response, or nil until more bytes arrive.
    mutating func next() throws -> Response? {
        guard var buffer = pending, buffer.readableBytes >= 16 else { return nil }
        let found: (headerEnd: Int, status: Int, length: Int?)? = buffer.withUnsafeReadableBytes { raw in
            guard let end = Self.find(Self.headerTerminator, in: raw) else { return nil }
            let status = Int(raw[9] &- 48) * 100 + Int(raw[10] &- 48) * 10 + Int(raw[11] &- 48)
            return (end, status, Self.contentLength(in: UnsafeRawBufferPointer(rebasing: raw[..<end])))
        }
        guard let found else { return nil }
        guard let length = found.length else {
            throw Malformed(description: "a response without Content-Length (status \(found.status)); only Content-Length framing is supported")
        }
        let total = found.headerEnd + 4 + length
        guard buffer.readableBytes >= total else { return nil }
        buffer.moveReaderIndex(forwardBy: found.headerEnd + 4)
        let body = buffer.readSlice(length: length)!
        pending = buffer
        return Response(status: found.status, body: body)
    }

    private static let headerTerminator: [UInt8] = Array("\r\n\r\n".utf8)
    private static let lengthName: [UInt8] = Array("\r\ncontent-length:".utf8)

    /// Where `needle` starts in `haystack`.
    private static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = 0
        let last = haystack.count - needle.count
        // Bounded by the buffer's length.
        while index <= last {
            var matched = 0
            // ASCII case folding is harmless for "\r\n\r\n" and makes header names match in any case.
            while matched < needle.count, haystack[index + matched] | (needle[matched] >= 0x61 ? 0x20 : 0) == needle[matched] {
                matched += 1
            }
            if matched == needle.count { return index }
            index += 1
        }
        return nil
    }

    /// The value of the `Content-Length` header in a header block.
    private static func contentLength(in header: UnsafeRawBufferPointer) -> Int? {
        guard var index = find(lengthName, in: header).map({ $0 + lengthName.count }) else { return nil }
        while index < header.count, header[index] == UInt8(ascii: " ") { index += 1 }
        var value = 0
        var digits = 0
        while index < header.count, (48...57).contains(header[index]), digits < 12 {
            value = value * 10 + Int(header[index] - 48)
            index += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}

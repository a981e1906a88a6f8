import Foundation
import JSONata

/// Turns a response body into a JSON value according to its `Content-Type`.
///
/// - `application/json`, `application/*+json`, `text/json`: parsed as JSON.
/// - `application/xml`, `text/xml`, `application/*+xml`: parsed with ``XMLJSONMapping``.
/// - anything else (or no content type): the text decoded as UTF-8 (invalid bytes become U+FFFD).
/// - an empty body: `nil` (the output shows `null`).
///
/// When there is no content type and the text starts with `{` or `[`, it is tried as JSON
/// first, since many APIs forget the header.
enum ResponseBodyDecoder {
    /// The kinds of body we parse.
    enum Format: Equatable {
        case json, xml, text
    }

    /// The format named by a `Content-Type` header value.
    static func format(ofContentType contentType: String?) -> Format? {
        guard let contentType else { return nil }
        // The media type before any `;` parameters, trimmed and lowercased, by bytes: this
        // runs for every response, and Foundation's CharacterSet trimming showed in profiles.
        var bytes = Array(contentType.utf8.prefix { $0 != UInt8(ascii: ";") })
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        let leading = bytes.prefix { $0 == 0x20 || $0 == 0x09 }.count
        let mediaType = String(decoding: bytes[leading...].map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
        if mediaType == "application/json" || mediaType == "text/json" || mediaType.hasSuffix("+json") {
            return .json
        }
        if mediaType == "application/xml" || mediaType == "text/xml" || mediaType.hasSuffix("+xml") {
            return .xml
        }
        return .text
    }

    /// Parses `bytes`; a body that does not match its declared content type throws a message
    /// for ``StepCallError/Kind/invalidResponse``.
    static func decode(_ bytes: [UInt8], contentType: String?) throws(DecodeFailure) -> JSONValue? {
        guard !bytes.isEmpty else { return nil }
        switch format(ofContentType: contentType) {
        case .json:
            do { return try JSONValue(parsing: bytes) } catch {
                throw DecodeFailure(message: "the body is declared as JSON (Content-Type: \(contentType ?? "")) but is not valid JSON: \(error)")
            }
        case .xml:
            do { return try XMLJSONMapping.parse(bytes) } catch {
                throw DecodeFailure(message: "the body is declared as XML (Content-Type: \(contentType ?? "")) but is not well-formed XML: \(error.message)")
            }
        case .text:
            return .string(String(decoding: bytes, as: UTF8.self))
        case nil:
            if let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }),
               first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
               let value = try? JSONValue(parsing: bytes) {
                return value
            }
            return .string(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Why a body could not be parsed.
    struct DecodeFailure: Error {
        var message: String
    }
}

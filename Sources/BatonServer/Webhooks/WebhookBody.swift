import JSONata

/// Turns a webhook delivery's raw body into the `trigger.body` value workflows see.
///
/// - An empty body is `null`.
/// - `application/json` and any `+json` type are parsed as JSON.
/// - `application/x-www-form-urlencoded` becomes an object of its fields; a repeated field
///   becomes an array of its values in order.
/// - Anything else that is UTF-8 text (`text/*`, XML, ...) is a string.
/// - Without a content type, a body starting with `{` or `[` is read as JSON when it parses,
///   and as a string otherwise.
///
/// Content types are compared without regard to case and their parameters are ignored: a
/// charset other than UTF-8 is not converted (a body that is not UTF-8 is refused with 415).
public enum WebhookBody {
    /// The body as a JSON value, or an error that says what is wrong with it.
    public static func parse(body: [UInt8], contentType: String?) throws(WebhookBodyError) -> JSONValue {
        guard !body.isEmpty else { return .null }
        let mediaType = contentType.map(Self.mediaType) ?? ""
        // JSON must be UTF-8 (RFC 8259), and so must the text Baton hands to expressions.
        let text = try Self.utf8(body)
        if mediaType == "application/x-www-form-urlencoded" {
            return try WebhookForm.parse(text)
        }
        if mediaType == "application/json" || mediaType.hasSuffix("+json") {
            return try parseJSON(text)
        }
        if mediaType.isEmpty, let first = text.first(where: { !Self.isJSONSpace($0) }),
           first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            // Nothing claimed this was JSON, so a body that only looks like it stays text.
            if let value = try? JSONValue(parsing: text) { return value }
        }
        return .string(String(decoding: text, as: UTF8.self))
    }

    /// The `type/subtype` of a Content-Type value, lowercased, without parameters.
    static func mediaType(_ contentType: String) -> String {
        let type = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return type.trimmingSpaces().lowercased()
    }

    /// The body without a leading byte-order mark, when it is valid UTF-8.
    static func utf8(_ body: [UInt8]) throws(WebhookBodyError) -> ArraySlice<UInt8> {
        var text = body[...]
        // Some Windows tools start UTF-8 with a byte-order mark; it is not part of the content.
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
        guard String(validating: text, as: UTF8.self) != nil else { throw .notText }
        return text
    }

    private static func parseJSON(_ text: ArraySlice<UInt8>) throws(WebhookBodyError) -> JSONValue {
        do {
            return try JSONValue(parsing: text)
        } catch let error as JSONParseError {
            let (line, column) = position(ofOffset: error.offset, in: text)
            throw WebhookBodyError(status: 400,
                                   message: "the body is not valid JSON: \(error.message) at line \(line), column \(column)")
        } catch {
            throw WebhookBodyError(status: 400, message: "the body is not valid JSON: \(error)")
        }
    }

    /// The 1-based line and column (in characters) of a byte offset, for people reading the body.
    static func position(ofOffset offset: Int, in text: ArraySlice<UInt8>) -> (line: Int, column: Int) {
        let before = text.prefix(max(0, offset))
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? before.startIndex
        let line = before.count { $0 == UInt8(ascii: "\n") } + 1
        // Count Unicode scalars, not bytes, so a column after "é" is where an editor shows it;
        // continuation bytes (10xxxxxx) do not start a character.
        let column = before[lineStart...].count { $0 & 0xC0 != 0x80 } + 1
        return (line, column)
    }

    private static func isJSONSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

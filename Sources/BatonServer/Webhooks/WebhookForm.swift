import JSONata
import OrderedCollections

/// Reads `application/x-www-form-urlencoded` bodies, as browsers and many webhook senders
/// (Slack, Twilio) write them, following the WHATWG URL standard's form parser.
enum WebhookForm {
    /// An object of the decoded fields in the order they first appear; a field given more than
    /// once becomes an array of its values in order.
    static func parse(_ text: ArraySlice<UInt8>) throws(WebhookBodyError) -> JSONValue {
        var fields = OrderedDictionary<String, JSONValue>()
        for field in text.split(separator: UInt8(ascii: "&")) {
            let equals = field.firstIndex(of: UInt8(ascii: "="))
            let rawName = equals.map { field[..<$0] } ?? field
            let rawValue = equals.map { field[($0 + 1)...] } ?? []
            guard let name = decode(rawName) else {
                throw notUTF8("the form field '\(String(decoding: rawName, as: UTF8.self))'")
            }
            guard let value = decode(rawValue) else { throw notUTF8("the value of form field '\(name)'") }
            switch fields[name] {
            case nil: fields[name] = .string(value)
            case .array(var values)?:
                values.append(.string(value))
                fields[name] = .array(values)
            case let first?: fields[name] = .array([first, .string(value)])
            }
        }
        return .object(fields)
    }

    /// `+` as a space and `%XX` as the byte it names; a `%` not followed by two hex digits stays
    /// as it is, as browsers do. Nil when the decoded bytes are not UTF-8.
    static func decode(_ raw: ArraySlice<UInt8>) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var index = raw.startIndex
        while index < raw.endIndex {
            let byte = raw[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < raw.endIndex,
                      let high = raw[index + 1].hexDigitValue, let low = raw[index + 2].hexDigitValue {
                bytes.append(high << 4 | low)
                index += 2
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func notUTF8(_ what: String) -> WebhookBodyError {
        // Percent-escapes can spell any bytes; silently replacing them would change the data.
        WebhookBodyError(status: 400, message: "\(what) is not UTF-8 text after percent-decoding")
    }
}

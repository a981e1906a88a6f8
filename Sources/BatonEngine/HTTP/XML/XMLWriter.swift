import JSONata

/// Writes a JSON value as XML elements, the way `soap` steps build their body.
///
/// The mapping (also in `ENGINE_HTTP_READY`):
///
/// - `{"name": value}` writes one element per member, in order; a name may carry a prefix
///   (`"m:GetPrice"`) when the matching `@xmlns:m` is declared.
/// - A string, number or boolean value becomes the element's text (`{"qty": 2}` →
///   `<qty>2</qty>`; whole numbers print without a fraction, `true`/`false` as words).
/// - `null` becomes an empty element, `<name/>`.
/// - An array writes the element once per item: `{"id": [1, 2]}` → `<id>1</id><id>2</id>`.
/// - An object value becomes the element's content: members named `@attr` become attributes
///   (`{"item": {"@sku": "A1", "#text": "pen"}}` → `<item sku="A1">pen</item>`), a member
///   named `#text` becomes text, and every other member a child element.
/// - Text escapes `&`, `<`, `>`; attribute values also escape `"`, tab, CR and LF. Control
///   characters that XML 1.0 cannot carry are refused with an error.
enum XMLWriter {
    /// The XML of every member of `object` as sibling elements.
    static func elements(of object: JSONValue, namespace: String? = nil) throws(XMLWriteError) -> String {
        guard case .object(let members) = object else {
            throw XMLWriteError(message: "the XML body must be a mapping from element names to values, not \(describe(object))")
        }
        var out = ""
        for (index, (name, value)) in members.enumerated() {
            try write(name: name, value: value, into: &out, extraAttributes: index == 0 ? namespace.map { [("xmlns", $0)] } ?? [] : [])
        }
        return out
    }

    static func write(name: String, value: JSONValue, into out: inout String,
                      extraAttributes: [(String, String)] = []) throws(XMLWriteError) {
        guard isValidName(name) else {
            throw XMLWriteError(message: "'\(name)' cannot be an XML element name; use letters, digits, '_', '-', '.' and start with a letter or '_'")
        }
        switch value {
        case .array(let items):
            for item in items {
                try write(name: name, value: item, into: &out, extraAttributes: extraAttributes)
            }
        case .null:
            out += "<\(name)\(try attributeText(extraAttributes))/>"
        case .bool, .number, .string:
            out += "<\(name)\(try attributeText(extraAttributes))>\(try escapeText(scalarText(value)))</\(name)>"
        case .object(let members):
            var attributes = extraAttributes
            var text: String?
            var children: [(String, JSONValue)] = []
            for (key, member) in members {
                if key.hasPrefix("@") {
                    let attribute = String(key.dropFirst())
                    guard isValidName(attribute) else {
                        throw XMLWriteError(message: "'\(key)' cannot be an XML attribute; after '@' use a name like '@id'")
                    }
                    guard let text = scalarOrNil(member) else {
                        throw XMLWriteError(message: "attribute '\(key)' of <\(name)> must be a string, number or boolean, not \(describe(member))")
                    }
                    attributes.removeAll { $0.0 == attribute }
                    attributes.append((attribute, text))
                } else if key == "#text" {
                    text = scalarOrNil(member) ?? ""
                } else {
                    children.append((key, member))
                }
            }
            let open = "<\(name)\(try attributeText(attributes))"
            if text == nil && children.isEmpty {
                out += open + "/>"
                return
            }
            out += open + ">"
            if let text { out += try escapeText(text) }
            for (childName, child) in children {
                try write(name: childName, value: child, into: &out)
            }
            out += "</\(name)>"
        }
    }

    static func attributeText(_ attributes: [(String, String)]) throws(XMLWriteError) -> String {
        var out = ""
        for (name, value) in attributes {
            out += " \(name)=\"\(try escapeAttribute(value))\""
        }
        return out
    }

    /// Escapes text content.
    static func escapeText(_ text: String) throws(XMLWriteError) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default:
                try checkAllowed(scalar)
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes an attribute value written between double quotes.
    static func escapeAttribute(_ text: String) throws(XMLWriteError) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                try checkAllowed(scalar)
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// XML 1.0 `Char`: tab, LF, CR and everything from U+0020 but U+FFFE and U+FFFF.
    private static func checkAllowed(_ scalar: Unicode.Scalar) throws(XMLWriteError) {
        let v = scalar.value
        if v == 0x9 || v == 0xA || v == 0xD { return }
        if v < 0x20 || v == 0xFFFE || v == 0xFFFF {
            throw XMLWriteError(message: "the text holds the control character U+\(String(v, radix: 16, uppercase: true)), which XML 1.0 cannot carry; remove it from the value")
        }
    }

    /// Whether `name` is an XML name (ASCII-strict, plus any non-ASCII letter), prefix allowed.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        func isStart(_ s: Unicode.Scalar) -> Bool {
            s == "_" || (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A) || s.value >= 0xC0
        }
        guard isStart(first) else { return false }
        return name.unicodeScalars.allSatisfy { s in
            isStart(s) || s == "-" || s == "." || s == ":" || (s.value >= 0x30 && s.value <= 0x39) || s.value == 0xB7
        } && !name.hasSuffix(":") && name.split(separator: ":", omittingEmptySubsequences: false).count <= 2
    }

    static func scalarText(_ value: JSONValue) -> String {
        scalarOrNil(value) ?? ""
    }

    static func scalarOrNil(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .number: return value.serialized()
        case .null: return ""
        case .array, .object: return nil
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// Why a JSON value cannot be written as XML.
struct XMLWriteError: Error, Sendable {
    var message: String
}

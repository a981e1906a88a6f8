import Foundation

/// A piece of HTML that is safe to send.
///
/// Markup comes only from string literals written in this target; every value interpolated
/// into a literal is escaped unless it is `HTML` itself. A run's data therefore cannot become
/// markup by accident: a `String` from the store simply has no way in without escaping.
struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup.
    private(set) var text: String

    /// Nothing.
    static let empty = HTML(stringLiteral: "")

    /// Markup written in code.
    init(stringLiteral value: String) { text = value }

    /// Markup with escaped values.
    init(stringInterpolation: StringInterpolation) { text = stringInterpolation.text }

    /// Markup made of parts.
    init(joining parts: [HTML], separator: HTML = .empty) {
        text = parts.map(\.text).joined(separator: separator.text)
    }

    var description: String { text }

    /// Appends more markup.
    static func + (left: HTML, right: HTML) -> HTML { HTML(joining: [left, right]) }

    /// Escapes text for an element's content or a double- or single-quoted attribute value.
    static func escape(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            // Control characters other than tab and newlines render as nothing useful; show them.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": result += "&#xFFFD;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// Collects literal markup and escaped values.
    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var text = ""

        init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity + 16 * interpolationCount) }

        mutating func appendLiteral(_ literal: String) { text += literal }

        /// Text, escaped.
        mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }

        /// Text, escaped; nothing for `nil`.
        mutating func appendInterpolation(_ value: String?) { if let value { text += HTML.escape(value) } }

        /// A number.
        mutating func appendInterpolation(_ value: Int) { text += String(value) }

        /// Markup, as it is.
        mutating func appendInterpolation(_ value: HTML) { text += value.text }

        /// Markup parts, one after the other.
        mutating func appendInterpolation(_ values: [HTML]) { for value in values { text += value.text } }
    }
}

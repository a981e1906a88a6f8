import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import JSONata
import OrderedCollections

/// Reads XML into a JSON value, the way `http` and `soap` steps show XML responses.
///
/// The mapping (also in `ENGINE_HTTP_READY`):
///
/// - The document becomes an object with one member, named after the root element:
///   `<a>1</a>` → `{"a": "1"}`.
/// - Names are local names: a namespace prefix is dropped (`<soap:Body>` → `Body`), and
///   namespace declarations (`xmlns`, `xmlns:p`) are not shown.
/// - An element with neither attributes nor child elements becomes its text, exactly as
///   written (entities and CDATA decoded): `<n> 42 </n>` → `" 42 "`. Values are always
///   strings: XML has no numbers or booleans (use `$number()` in a mapping).
/// - An empty element (`<a/>`, `<a></a>`) and an element with `xsi:nil="true"` become `null`.
/// - Otherwise the element becomes an object, in document order:
///   - each attribute as `"@name": "value"`, sorted by name (the parser does not keep their order);
///   - each child element as `"name": value`; children with the same name become an array of
///     their values in order (`<l><i>1</i><i>2</i></l>` → `{"l": {"i": ["1", "2"]}}`); a single
///     child is NOT wrapped in an array, so a list that may hold one item is read with
///     `$append([], l.i)` or `l.i[]`;
///   - text beside attributes or children as `"#text"`, trimmed of surrounding whitespace
///     (whitespace-only text, such as indentation, is dropped).
/// - Comments and processing instructions are ignored; a document that declares entities
///   (`<!ENTITY ...>`) is refused, so no entity is ever expanded or loaded.
public enum XMLJSONMapping {
    /// Parses an XML document into `{rootName: value}`.
    public static func parse(_ bytes: [UInt8]) throws(XMLReadError) -> JSONValue {
        let root = try parseTree(bytes)
        return .object([root.name: root.jsonValue])
    }

    /// Parses an XML document into its element tree.
    static func parseTree(_ bytes: [UInt8]) throws(XMLReadError) -> XMLTreeElement {
        // Entity declarations are refused before parsing: API responses never need them, and
        // expanding them is how "billion laughs" documents exhaust memory.
        if let offset = entityDeclarationOffset(bytes) {
            let line = bytes[..<offset].count { $0 == UInt8(ascii: "\n") } + 1
            throw XMLReadError(message: "the document declares an entity (<!ENTITY at line \(line)); entity declarations are not accepted")
        }
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let builder = XMLTreeBuilder()
        parser.delegate = builder
        let ok = parser.parse()
        guard ok, let root = builder.root else {
            let reason = builder.failure ?? parser.parserError.map { "\($0.localizedDescription)" } ?? "no root element"
            throw XMLReadError(message: "\(reason) (line \(parser.lineNumber), column \(parser.columnNumber))")
        }
        return root
    }
}

/// Where `<!ENTITY` first occurs in `bytes`, if it does.
private func entityDeclarationOffset(_ bytes: [UInt8]) -> Int? {
    let needle = Array("<!ENTITY".utf8)
    guard bytes.count >= needle.count else { return nil }
    for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
        if bytes[start..<start + needle.count].elementsEqual(needle) { return start }
    }
    return nil
}

/// Builds the element tree from parser events.
private final class XMLTreeBuilder: NSObject, XMLParserDelegate {
    var stack: [XMLTreeElement] = []
    var root: XMLTreeElement?
    var failure: String?

    static func localName(_ qualified: String) -> String {
        qualified.lastIndex(of: ":").map { String(qualified[qualified.index(after: $0)...]) } ?? qualified
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        var attributes: [(String, String)] = []
        var isNil = false
        // The parser hands attributes over as a dictionary; sort for a stable order.
        for (name, value) in attributeDict.sorted(by: { $0.key < $1.key }) {
            if name == "xmlns" || name.hasPrefix("xmlns:") { continue }
            let local = Self.localName(name)
            if local == "nil", name.contains(":"), value == "true" || value == "1" {
                isNil = true
                continue
            }
            attributes.append((local, value))
        }
        stack.append(XMLTreeElement(name: Self.localName(elementName), qualifiedName: elementName, attributes: attributes,
                                    children: [], text: "", isNil: isNil))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard let element = stack.popLast() else { return }
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if failure == nil { failure = "\(parseError.localizedDescription)" }
    }
}

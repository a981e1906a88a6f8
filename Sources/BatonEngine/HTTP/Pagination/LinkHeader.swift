import Foundation

/// Reads `Link` header fields (RFC 8288 §3): `<https://api/x?page=2>; rel="next", <...>; rel="last"`.
public enum LinkHeader {
    /// One link: its target and parameters (names lower-cased).
    public struct Link: Sendable, Equatable {
        /// The target as written between `<` and `>`.
        public var target: String
        /// The parameters, such as `rel`.
        public var parameters: [String: String]

        /// The relation types (`rel` may list several, separated by spaces), lower-cased.
        public var relations: [String] {
            (parameters["rel"] ?? "").lowercased().split(separator: " ").map(String.init)
        }
    }

    /// Every link in `values` (one or more `Link` header field values).
    public static func parse(_ values: [String]) -> [Link] {
        values.flatMap(parse)
    }

    /// Every link in one field value.
    public static func parse(_ value: String) -> [Link] {
        var links: [Link] = []
        var scalars = Substring(value)[...]
        while true {
            scalars = scalars.drop { $0 == " " || $0 == "\t" || $0 == "," }
            guard scalars.first == "<", let close = scalars.firstIndex(of: ">") else { break }
            let target = String(scalars[scalars.index(after: scalars.startIndex)..<close])
            scalars = scalars[scalars.index(after: close)...]
            var parameters: [String: String] = [:]
            // Parameters: `; name=value` or `; name="quoted, value"` until the next `,` outside quotes.
            while true {
                scalars = scalars.drop { $0 == " " || $0 == "\t" }
                guard scalars.first == ";" else { break }
                scalars = scalars.dropFirst().drop { $0 == " " || $0 == "\t" }
                let name = scalars.prefix { $0 != "=" && $0 != ";" && $0 != "," && $0 != " " }
                scalars = scalars.dropFirst(name.count).drop { $0 == " " || $0 == "\t" }
                var parameterValue = ""
                if scalars.first == "=" {
                    scalars = scalars.dropFirst().drop { $0 == " " || $0 == "\t" }
                    if scalars.first == "\"" {
                        scalars = scalars.dropFirst()
                        var escaped = false
                        while let c = scalars.first {
                            scalars = scalars.dropFirst()
                            if escaped { parameterValue.append(c); escaped = false }
                            else if c == "\\" { escaped = true }
                            else if c == "\"" { break }
                            else { parameterValue.append(c) }
                        }
                    } else {
                        let token = scalars.prefix { $0 != ";" && $0 != "," && $0 != " " }
                        parameterValue = String(token)
                        scalars = scalars.dropFirst(token.count)
                    }
                }
                let key = name.lowercased()
                // RFC 8288 §3.3: only the first occurrence of `rel` counts.
                if !key.isEmpty, parameters[key] == nil { parameters[key] = parameterValue }
            }
            links.append(Link(target: target, parameters: parameters))
            // Skip anything unexpected up to the next link.
            if let comma = scalars.firstIndex(of: ",") { scalars = scalars[comma...] } else { break }
        }
        return links
    }

    /// The absolute URL of the `rel="next"` link in `values`, resolved against `base`.
    public static func next(in values: [String], base: String) -> String? {
        guard let link = parse(values).first(where: { $0.relations.contains("next") }) else { return nil }
        return resolve(link.target, against: base)
    }

    /// `reference` resolved against `base` (RFC 3986 §5), for relative link targets.
    static func resolve(_ reference: String, against base: String) -> String? {
        if reference.hasPrefix("http://") || reference.hasPrefix("https://") { return reference }
        guard let baseURL = URL(string: base), let url = URL(string: reference, relativeTo: baseURL) else { return nil }
        return url.absoluteString
    }
}

import JSONata
import OrderedCollections

/// What the audit log records of a request: method, URL, headers and the start of the body,
/// with credentials masked.
public struct RequestSummary: Sendable {
    /// The method.
    public var method: String
    /// The URL with secret values and credential-like query parameters masked.
    public var url: String
    /// The headers, with `Authorization`, cookies, API-key headers and secret values masked.
    public var headers: [(String, String)]
    /// The body as text, redacted and cut at the limit (`…` marks the cut).
    public var body: String?
    /// The body's full size in bytes.
    public var bodyBytes: Int

    /// Header names whose values are always masked.
    public static let sensitiveHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token",
    ]
    /// Query parameter names whose values are always masked.
    public static let sensitiveQueryNames: Set<String> = [
        "api_key", "apikey", "key", "token", "access_token", "client_secret", "password", "secret", "signature", "sig",
    ]

    /// Summarises `request`; `maskedHeaders` adds header names to mask (such as an API-key header).
    public init(_ request: PreparedRequest, redactor: Redactor, bodyLimit: Int = 4096,
                maskedHeaders: Set<String> = [], maskedQueryNames: Set<String> = []) {
        method = request.method
        url = Self.redactURL(request.url, redactor: redactor, maskedNames: Self.sensitiveQueryNames.union(maskedQueryNames.map { $0.lowercased() }))
        let masked = Self.sensitiveHeaders.union(maskedHeaders.map { $0.lowercased() })
        headers = request.headers.map { name, value in
            (name, masked.contains(name.lowercased()) ? Redactor.mask : redactor.redact(value))
        }
        if let body = request.body {
            let bytes = body.bytes
            bodyBytes = bytes.count
            let text = redactor.redact(String(decoding: bytes, as: UTF8.self))
            self.body = text.count > bodyLimit ? String(text.prefix(bodyLimit)) + "…" : text
        } else {
            bodyBytes = 0
            body = nil
        }
    }

    /// `url` with secrets redacted and the values of the named query parameters masked.
    static func redactURL(_ url: String, redactor: Redactor, maskedNames: Set<String>) -> String {
        let (base, query, fragment) = URLQuery.split(url)
        var result = redactor.redact(base)
        if let query {
            let parts = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
                let pieces = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = URLQuery.unescape(pieces[0]).lowercased()
                if pieces.count == 2, maskedNames.contains(name) { return "\(pieces[0])=\(Redactor.mask)" }
                return redactor.redact(String(pair))
            }
            result += "?" + parts.joined(separator: "&")
        }
        return result + redactor.redact(fragment)
    }

    /// The summary as a JSON value: `{method, url, headers, body, body_bytes}`.
    public var jsonValue: JSONValue {
        ["method": .string(method), "url": .string(url), "headers": HTTPResult.headersValue(headers),
         "body": body.map(JSONValue.string) ?? .null, "body_bytes": .number(Double(bodyBytes))]
    }
}

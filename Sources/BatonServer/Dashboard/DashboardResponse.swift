import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The responses of the dashboard: HTML pages with strict headers, and redirects.
enum DashboardResponse {
    /// What every page may load: its own stylesheet and nothing else, no script at all. Inline
    /// styles are allowed only because the timeline places its bars with `style` attributes.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// An HTML page.
    static func page(_ status: HTTPResponse.Status, _ html: HTML, headers extra: HTTPFields = [:]) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html.text)))
    }

    /// `303 See Other` to `location`, which the browser then loads with GET.
    static func redirect(to location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        headers.append(contentsOf: extra)
        return Response(status: .seeOther, headers: headers)
    }

    /// The stylesheet; its URL carries a content version, so it may be cached for a long time.
    static func stylesheet() -> Response {
        Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=86400"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: DashboardStyle.css)))
    }

    /// Headers every page and redirect carries: no caching of run data, no framing, no
    /// sniffing, and no referrer (a sign-in link holds the token in its query).
    static var securityHeaders: HTTPFields {
        [
            .contentSecurityPolicy: contentSecurityPolicy,
            .cacheControl: "no-store",
            .xContentTypeOptions: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
            HTTPField.Name("X-Frame-Options")!: "DENY",
        ]
    }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// A browser's view of the dashboard, over HTTP: it sees redirects instead of following them,
/// and sends the session cookie it was given.
struct DashboardClient: Sendable {
    /// Redirects are what these tests look at, so this client never follows them.
    private static let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                           configuration: .init(redirectConfiguration: .disallow))

    let server: ServerHarness
    /// `name=value` of the session cookie, once signed in.
    var cookie: String?

    /// A client with no cookie yet.
    init(server: ServerHarness, cookie: String? = nil) {
        self.server = server
        self.cookie = cookie
    }

    /// Signs in with the form, as a person would, and keeps the cookie.
    mutating func signIn() async throws {
        let reply = try await post("/login", form: [("token", server.token)])
        #expect(reply.status == 303)
        cookie = try #require(Self.sessionCookie(reply), "POST /login set no session cookie: \(reply.headers)")
    }

    /// `GET path`.
    func get(_ path: String) async throws -> ServerHarness.Reply {
        try await send(.GET, path, body: nil)
    }

    /// `POST path` with a form.
    func post(_ path: String, form: [(String, String)]) async throws -> ServerHarness.Reply {
        let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.POST, path, body: body)
    }

    /// The CSRF token in the forms of page `path`.
    func csrfToken(on path: String) async throws -> String {
        let page = try await get(path)
        let marker = #"name="csrf" value=""#
        let start = try #require(page.text.range(of: marker), "no CSRF field on \(path)").upperBound
        return String(page.text[start...].prefix { $0 != "\"" })
    }

    private func send(_ method: HTTPMethod, _ path: String, body: String?) async throws -> ServerHarness.Reply {
        var request = HTTPClientRequest(url: server.url + path)
        request.method = method
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await Self.client.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 16 << 20)
        return ServerHarness.Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: buffer))
    }

    /// `baton_session=VALUE` from a reply's `Set-Cookie`, if it set a non-empty one.
    static func sessionCookie(_ reply: ServerHarness.Reply) -> String? {
        guard let header = reply.headers["Set-Cookie"].first(where: { $0.hasPrefix("baton_session=") }),
              let pair = header.split(separator: ";").first, pair != "baton_session=" else { return nil }
        return String(pair)
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}

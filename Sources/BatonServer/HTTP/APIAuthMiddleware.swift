import Crypto
import Foundation
import Hummingbird

/// Requires `Authorization: Bearer <token>` on the REST API, compared in constant time.
struct APIAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            return JSONResponse.error(.unauthorized, code: "unauthorized",
                                      "the API needs 'Authorization: Bearer TOKEN' (the token baton serve printed when it created it, or BATON_API_TOKEN)",
                                      headers: [.wwwAuthenticate: "Bearer"])
        }
        let prefix = "bearer "
        guard header.lowercased().hasPrefix(prefix),
              Self.equal(Array(header.utf8.dropFirst(prefix.count)), Array(token.utf8)) else {
            return JSONResponse.error(.unauthorized, code: "unauthorized", "the API token is not valid",
                                      headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
        }
        return try await next(request, context)
    }

    /// Compares two byte strings in time that depends only on their lengths.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        // Compare digests so that different lengths take the same path as equal ones.
        let left = SHA256.hash(data: a), right = SHA256.hash(data: b)
        var difference: UInt8 = 0
        for (x, y) in zip(left, right) { difference |= x ^ y }
        return difference == 0
    }
}

import Crypto
import Foundation
import Hummingbird

/// Sign-in sessions of the dashboard: signed cookie values and their CSRF tokens.
///
/// Nothing is stored on the server. A session value is `v1.EXPIRES.NONCE.MAC`, where MAC is an
/// HMAC over the rest under a key derived from the API token: the cookie never carries the
/// token itself, it cannot be forged without the token, and changing the token ends every
/// session. The CSRF token of a session is another HMAC of its nonce, so each session has its
/// own, and a form from one session does not work in another.
struct DashboardSessions: Sendable {
    /// A verified session.
    struct Session: Sendable, Equatable {
        /// Random per sign-in; it ties the CSRF token to this session.
        var nonce: String
        /// When the cookie stops being accepted.
        var expiresAt: Date
        /// The token the session's forms must post back.
        var csrfToken: String
    }

    /// The name of the session cookie.
    static let cookieName = "baton_session"
    /// How long a sign-in lasts.
    static let lifetime: TimeInterval = 12 * 3600

    private let apiToken: String
    private let key: SymmetricKey

    /// Sessions signed with a key derived from `apiToken`.
    init(apiToken: String) {
        self.apiToken = apiToken
        // A derived key, not the token itself, so that a MAC reveals nothing usable against /api.
        key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: Data(apiToken.utf8)),
                                     info: Data("baton dashboard session v1".utf8), outputByteCount: 32)
    }

    /// Whether `candidate` is the API token (compared in constant time).
    func isAPIToken(_ candidate: String) -> Bool {
        !candidate.isEmpty && APIAuthMiddleware<BasicRequestContext>.equal(Array(candidate.utf8), Array(apiToken.utf8))
    }

    /// A new session cookie value, valid for ``lifetime`` from `now`.
    func issue(now: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        let nonce = Self.hex((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let expires = Int64((now.timeIntervalSince1970 + Self.lifetime).rounded(.down))
        let body = "v1.\(expires).\(nonce)"
        return body + "." + mac(body)
    }

    /// The session a cookie value stands for, if its signature is right and it has not expired.
    func session(_ value: String, now: Date) -> Session? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "v1", let expires = Int64(parts[1]), parts[2].count == 32,
              let signature = Self.bytes(hex: parts[3]) else { return nil }
        let body = "v1.\(expires).\(parts[2])"
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data(body.utf8), using: key) else { return nil }
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(expires))
        guard expiresAt > now else { return nil }
        let nonce = String(parts[2])
        return Session(nonce: nonce, expiresAt: expiresAt, csrfToken: csrfToken(nonce: nonce))
    }

    /// Whether a posted CSRF token belongs to `session` (compared in constant time).
    func isValidCSRF(_ candidate: String?, for session: Session) -> Bool {
        guard let candidate, !candidate.isEmpty else { return false }
        return APIAuthMiddleware<BasicRequestContext>.equal(Array(candidate.utf8), Array(session.csrfToken.utf8))
    }

    private func csrfToken(nonce: String) -> String { String(mac("csrf." + nonce).prefix(40)) }

    private func mac(_ text: String) -> String {
        Self.hex(Array(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)))
    }

    private static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    private static func bytes(hex: Substring) -> Data? {
        guard hex.count % 2 == 0 else { return nil }
        var data = Data(capacity: hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            data.append(byte)
            index = next
        }
        return data
    }
}

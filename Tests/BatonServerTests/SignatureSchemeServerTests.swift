import Crypto
import Foundation
import JSONata
import Testing

/// Every signature scheme through the real server: a correctly signed delivery starts a run,
/// a wrong secret, a stale timestamp or a missing header is a 401 that starts nothing.
@Suite(.timeLimit(.minutes(2)))
struct SignatureSchemeServerTests {
    static let secret = "whsec_test_5up3r"

    /// One scheme: its trigger settings and how a sender signs a body at a time.
    struct Scheme: Sendable, CustomTestStringConvertible {
        var name: String
        var settings: String
        var sign: @Sendable (_ body: String, _ secret: String, _ time: Int) -> [(String, String)]
        var timestamped: Bool
        var testDescription: String { name }
    }

    static func hmac256(_ text: String, _ secret: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8))))
    }

    static func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }

    static let schemes: [Scheme] = [
        Scheme(name: "github", settings: "scheme: github", sign: { body, secret, _ in
            [("X-Hub-Signature-256", "sha256=" + hex(hmac256(body, secret)))]
        }, timestamped: false),
        Scheme(name: "stripe", settings: "scheme: stripe", sign: { body, secret, time in
            [("Stripe-Signature", "t=\(time),v1=\(hex(hmac256("\(time).\(body)", secret)))")]
        }, timestamped: true),
        Scheme(name: "slack", settings: "scheme: slack", sign: { body, secret, time in
            [("X-Slack-Request-Timestamp", "\(time)"), ("X-Slack-Signature", "v0=" + hex(hmac256("v0:\(time):\(body)", secret)))]
        }, timestamped: true),
        Scheme(name: "hmac-sha256 base64", settings: "scheme: hmac-sha256\n      signature_header: X-Signature\n      signature_encoding: base64",
               sign: { body, secret, _ in [("X-Signature", hmac256(body, secret).base64EncodedString())] }, timestamped: false),
        Scheme(name: "hmac-sha1 with prefix", settings: "scheme: hmac-sha1\n      signature_header: X-Hub-Signature\n      signature_prefix: \"sha1=\"",
               sign: { body, secret, _ in
                   let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
                   return [("X-Hub-Signature", "sha1=" + hex(Data(mac)))]
               }, timestamped: false),
        Scheme(name: "token", settings: "scheme: token\n      signature_header: X-Gitlab-Token",
               sign: { _, secret, _ in [("X-Gitlab-Token", secret)] }, timestamped: false),
    ]

    static func workflow(_ scheme: Scheme) -> String {
        """
        name: signed
        triggers:
          - webhook:
              path: /hooks/signed
              secret: ${{ secrets.HOOK_SECRET }}
              \(scheme.settings)
        steps:
          - id: got
            transform: ${{ trigger.body.id }}
        """
    }

    @Test(arguments: schemes)
    func acceptedAndRejected(scheme: Scheme) async throws {
        let server = try ServerHarness(environment: ["BATON_SECRET_HOOK_SECRET": Self.secret])
        defer { server.remove() }
        try server.write("signed.yaml", Self.workflow(scheme))
        try await server.start()
        let body = #"{"id":"evt_1"}"#
        let now = Int(server.clock.now().timeIntervalSince1970)
        let json = [("Content-Type", "application/json")]

        let good = try await server.send(.POST, "/hooks/signed", body: body, headers: json + scheme.sign(body, Self.secret, now))
        #expect(good.status == 202, "\(good.text)")
        let run = try await server.finished(try #require(good.json?["run_id"]?.stringValue))
        #expect(run.output == #""evt_1""#)

        let wrongSecret = try await server.send(.POST, "/hooks/signed", body: body, headers: json + scheme.sign(body, "not-it", now))
        #expect(wrongSecret.status == 401)
        let missing = try await server.send(.POST, "/hooks/signed", body: body, headers: json)
        #expect(missing.status == 401)
        #expect(missing.json?["error"]?["message"]?.stringValue?.contains("missing header") == true)
        if scheme.timestamped {
            let stale = try await server.send(.POST, "/hooks/signed", body: body, headers: json + scheme.sign(body, Self.secret, now - 3600))
            #expect(stale.status == 401)
            #expect(stale.json?["error"]?["message"]?.stringValue?.contains("tolerance") == true)
        }
        #expect(try await server.runs(of: "signed").count == 1)
        #expect(!server.logs.text.contains(Self.secret))
        await server.stop()
    }

    @Test func aWebhookWhoseSecretIsNotSetRefusesDeliveriesAndSaysWhy() async throws {
        let server = try ServerHarness()
        defer { server.remove() }
        try server.write("signed.yaml", Self.workflow(Self.schemes[0]))
        try await server.start()
        let reply = try await server.send(.POST, "/hooks/signed", body: "{}", headers: [("Content-Type", "application/json")])
        #expect(reply.status == 500)
        #expect(reply.json?["error"]?["code"]?.stringValue == "secret_missing")
        #expect(server.logs.text.contains("set the secret it names"))
        #expect(try await server.runs().isEmpty)
        await server.stop()
    }
}

import ArgumentParser
import BatonCore
import BatonEngine
import BatonServer
import Foundation

extension ConnectCommand {
    /// Prints the authorization URL, waits for the redirect and exchanges its code; returns
    /// nil when the redirect goes elsewhere and the user finishes with `--code`.
    func authorize(_ oauth: OAuth2UserClient, signIn: ConnectionSignIn, tokens: ConnectionTokens,
                   client: StepHTTPClient) async throws -> TokenSet? {
        let pkce = PKCE()
        let state = PKCE.randomText(bytes: 16)
        let wait = try DurationText.parse(timeout)
        if let configured = oauth.redirectURI, let loopback = Self.loopback(configured), port == nil || port == loopback.port {
            return try await listen(port: loopback.port, path: loopback.path, oauth: oauth, signIn: signIn, tokens: tokens,
                                    client: client, pkce: pkce, state: state, wait: wait)
        }
        if let configured = oauth.redirectURI {
            // The provider redirects to a page we cannot listen on: the user brings the code back.
            try await tokens.savePending(PendingAuthorization(state: state, verifier: pkce.verifier, redirectURI: configured,
                                                              createdAt: Date()), for: signIn)
            printError("Open this URL in a browser to sign in connection '\(name)'; it redirects to \(configured).")
            Self.printNow(oauth.authorizationURL(redirectURI: configured, state: state, pkce: pkce) ?? "")
            printError("Then run: baton connect \(name) --code CODE (the code, or the whole URL it redirected to)")
            return nil
        }
        return try await listen(port: port ?? 0, path: "/callback", oauth: oauth, signIn: signIn, tokens: tokens,
                                client: client, pkce: pkce, state: state, wait: wait)
    }

    /// A sign-in that failed while the browser waited, with the message for the terminal.
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    private func listen(port: Int, path: String, oauth: OAuth2UserClient, signIn: ConnectionSignIn, tokens: ConnectionTokens,
                        client: StepHTTPClient, pkce: PKCE, state: String, wait: Duration) async throws -> TokenSet {
        let name = self.name
        let outcome = try await AuthorizationCallback.receive(port: port, path: path, timeout: wait, listening: { redirectURI in
            // Kept before the URL is shown, so that `--code` can finish if this wait is cut short.
            try await tokens.savePending(PendingAuthorization(state: state, verifier: pkce.verifier, redirectURI: redirectURI,
                                                              createdAt: Date()), for: signIn)
            printError("Open this URL in a browser to sign in connection '\(name)' (waiting for the redirect to \(redirectURI)):")
            Self.printNow(oauth.authorizationURL(redirectURI: redirectURI, state: state, pkce: pkce) ?? "")
        }, handle: { redirect -> (page: String, outcome: Result<TokenSet, Refused>) in
            if let error = redirect.error {
                let detail = redirect.errorDescription.map { " (\($0))" } ?? ""
                return ("Signing in connection '\(name)' was refused: \(error)\(detail).",
                        .failure(Refused(description: "the provider refused to sign in connection '\(name)': \(error)\(detail); run 'baton connect \(name)' to try again")))
            }
            guard redirect.state == state, let code = redirect.code else {
                return ("This redirect does not belong to the sign-in Baton started; run baton connect again.",
                        .failure(Refused(description: "the redirect's state does not match the sign-in this command started (another browser tab or an old link?); run 'baton connect \(name)' again")))
            }
            do {
                let pending = try await tokens.pendingAuthorization(for: name)
                let set = try await tokens.exchange(code: code, verifier: pkce.verifier, redirectURI: pending?.redirectURI,
                                                    for: signIn, using: client)
                return ("Connection '\(name)' is signed in. You can close this window.", .success(set))
            } catch {
                return ("Signing in connection '\(name)' failed; the terminal says why.", .failure(Refused(description: "\(error)")))
            }
        })
        return try outcome.get()
    }

    /// Exchanges `input` (a code, or a redirect URL holding one) with the pending verifier.
    func finish(with input: String, oauth: OAuth2UserClient, signIn: ConnectionSignIn, tokens: ConnectionTokens,
                client: StepHTTPClient) async throws -> TokenSet {
        var code = input.trimmingCharacters(in: .whitespacesAndNewlines)
        var returnedState: String? = nil
        if code.contains("code="), let items = URLComponents(string: code.contains("?") ? code : "?" + code)?.queryItems {
            returnedState = items.first { $0.name == "state" }?.value
            code = items.first { $0.name == "code" }?.value ?? ""
        }
        guard !code.isEmpty else {
            printError("error: --code is empty; pass the code, or the whole URL the provider redirected to")
            throw ExitCode(2)
        }
        let pending = try await tokens.pendingAuthorization(for: name)
        if let returnedState, let pending, returnedState != pending.state {
            printError("error: the redirect's state does not match the sign-in 'baton connect \(name)' started last; run 'baton connect \(name)' again")
            throw ExitCode(1)
        }
        return try await tokens.exchange(code: code, verifier: pending?.verifier, redirectURI: pending?.redirectURI ?? oauth.redirectURI,
                                         for: signIn, using: client)
    }

    /// Writes a line to standard output at once: whoever opens the URL reads it while we wait.
    static func printNow(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// The port and path of a loopback redirect URI (`http://127.0.0.1:PORT/PATH`, or localhost).
    static func loopback(_ uri: String) -> (port: Int, path: String)? {
        guard let components = URLComponents(string: uri), components.scheme == "http",
              ["127.0.0.1", "localhost", "[::1]", "::1"].contains(components.host ?? ""), let port = components.port else { return nil }
        return (port, components.path.isEmpty ? "/" : components.path)
    }
}

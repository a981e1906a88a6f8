import Foundation
import Hummingbird

extension Dashboard {
    /// `GET /login`: the sign-in form; or, with `?token=TOKEN`, a sign-in link that sets the
    /// cookie and goes on to `next` (how one opens the dashboard from a terminal:
    /// `open "http://127.0.0.1:8080/login?token=$BATON_API_TOKEN"`).
    func signInPage(_ request: Request) async -> Response {
        let query = DashboardForm.query(request)
        let next = Self.nextTarget(query["next"])
        if let token = query["token"] {
            guard sessions.isAPIToken(token) else {
                return signInForm(next: next, status: .unauthorized,
                                  problem: "The token in this sign-in link is not the server's API token.")
            }
            return signedInRedirect(to: next)
        }
        if session(of: request) != nil { return DashboardResponse.redirect(to: next) }
        return signInForm(next: next, status: .ok, problem: nil)
    }

    /// `POST /login`: checks the token from the form.
    func signIn(_ request: Request) async -> Response {
        let form = await DashboardForm.read(request)
        let next = Self.nextTarget(form["next"])
        guard let token = form["token"], sessions.isAPIToken(token) else {
            return signInForm(next: next, status: .unauthorized, problem: form["token"]?.isEmpty ?? true
                ? "Enter the API token." : "That is not the server's API token.")
        }
        return signedInRedirect(to: next)
    }

    /// `POST /logout`: forgets the cookie in this browser.
    func signOut(_ request: Request) async -> Response {
        await posted(request) { _ in
            var response = DashboardResponse.redirect(to: "/login")
            response.setCookie(sessionCookie(value: "", maxAge: 0))
            return response
        }
    }

    private func signedInRedirect(to next: String) -> Response {
        var response = DashboardResponse.redirect(to: next)
        response.setCookie(sessionCookie(value: sessions.issue(now: state.clock.now()), maxAge: Int(DashboardSessions.lifetime)))
        return response
    }

    /// The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's
    /// page sends it), for the whole server, and Secure when the server is reached over HTTPS.
    private func sessionCookie(value: String, maxAge: Int) -> Cookie {
        Cookie(name: DashboardSessions.cookieName, value: value, maxAge: maxAge, path: "/",
               secure: state.publicURL.lowercased().hasPrefix("https://"), httpOnly: true, sameSite: .strict)
    }

    private func signInForm(next: String, status: HTTPResponse.Status, problem: String?) -> Response {
        let alert: HTML = problem.map { "<div class=\"problem\" role=\"alert\">\($0)</div>" } ?? .empty
        let content: HTML = """
            <div class="signin card">
            <h1>Sign in</h1>
            \(alert)
            <form method="post" action="/login">
            <label>API token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
            <input type="hidden" name="next" value="\(next)">
            <button type="submit">Sign in</button>
            </form>
            <p class="muted">The token <code>baton serve</code> printed when it created it, or <code>BATON_API_TOKEN</code>. \
            From a terminal, open <code>/login?token=TOKEN</code> on this server to sign in directly.</p>
            </div>
            """
        return DashboardResponse.page(status, DashboardLayout.document(title: "Sign in", session: nil, content: content))
    }

    /// Where to go after signing in: a path on this server, else the workflows page.
    static func nextTarget(_ candidate: String?) -> String {
        guard let candidate, DashboardURL.isLocal(candidate), !candidate.hasPrefix("/login") else { return "/" }
        return candidate
    }
}

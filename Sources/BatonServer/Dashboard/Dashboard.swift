import BatonStore
import Foundation
import Hummingbird

/// The web dashboard: server-rendered pages at `/` for people who want to see what their runs
/// did, and to retry, replay or cancel them.
///
/// Every page but the sign-in page needs a session cookie, got by signing in with the API
/// token (the form at `/login`, or the link `/login?token=TOKEN`). Pages use no script and
/// load nothing from other hosts; every value from a run is HTML-escaped by ``HTML``.
///
/// Routes: `GET /` (workflows), `GET /runs` (filters and pages), `GET /runs/ID` (a run),
/// `POST /runs/ID/retry|replay|cancel`, `GET|POST /login`, `POST /logout`,
/// `GET /static/dashboard.css`.
struct Dashboard: Sendable {
    let state: ServerState
    let sessions: DashboardSessions

    /// The dashboard of the server `state` describes.
    init(state: ServerState) {
        self.state = state
        sessions = DashboardSessions(apiToken: state.apiToken)
    }

    /// The paths the dashboard answers; ``WorkflowRegistry/isReserved(_:)`` keeps webhooks off them.
    static let exactPaths = ["/", "/login", "/logout", "/runs"]
    /// Prefixes under which the dashboard answers.
    static let pathPrefixes = ["/runs/", "/static/"]

    /// Adds the dashboard's routes to `router`.
    func register(on router: Router<BasicRequestContext>) {
        router.get("static/dashboard.css") { _, _ in DashboardResponse.stylesheet() }
        router.get("login") { request, _ in await signInPage(request) }
        router.post("login") { request, _ in await signIn(request) }
        router.post("logout") { request, _ in await signOut(request) }
        router.get("/") { request, _ in
            await signedIn(request) { session in await WorkflowsPage(state: state).render(session: session) }
        }
        router.get("runs") { request, _ in
            await signedIn(request) { session in await RunsPage(state: state).render(request, session: session) }
        }
        router.get("runs/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await signedIn(request) { session in
                await RunDetailPage(state: state).render(id: id, session: session, notice: RunDetailPage.Notice(query: request))
            }
        }
        router.post("runs/:id/:action") { request, context in
            let id = context.parameters.get("id") ?? "", action = context.parameters.get("action") ?? ""
            return await posted(request) { session in
                await RunActions(state: state).perform(action, runID: id, session: session)
            }
        }
    }

    /// The session of the request's cookie, if it is valid.
    func session(of request: Request) -> DashboardSessions.Session? {
        guard let cookie = request.cookies[DashboardSessions.cookieName] else { return nil }
        return sessions.session(cookie.value, now: state.clock.now())
    }

    /// Renders a page for a signed-in person; anyone else goes to the sign-in page, which
    /// brings them back here afterwards.
    func signedIn(_ request: Request, _ render: (DashboardSessions.Session) async -> Response) async -> Response {
        guard let session = session(of: request) else {
            let target = request.uri.query.map { request.uri.path + "?" + $0 } ?? request.uri.path
            return DashboardResponse.redirect(to: DashboardURL.make("/login", [("next", target == "/" ? nil : target)]))
        }
        return await render(session)
    }

    /// Handles a form POST from a signed-in person whose form carries the session's CSRF token;
    /// a missing or wrong token is refused with 403, so no other site can make a browser act.
    func posted(_ request: Request, _ handle: (DashboardSessions.Session) async -> Response) async -> Response {
        guard let session = session(of: request) else {
            return DashboardResponse.page(.unauthorized, DashboardLayout.document(title: "Signed out", session: nil, content: """
                <div class="card"><p>You are not signed in (or your session expired), so nothing was done.</p>
                <p><a href="/login">Sign in</a> and try again.</p></div>
                """))
        }
        let form = await DashboardForm.read(request)
        guard sessions.isValidCSRF(form["csrf"], for: session) else {
            return DashboardResponse.page(.forbidden, DashboardLayout.document(title: "Refused", session: session, content: """
                <div class="problem" role="alert">This form was refused: its security token is missing or belongs to \
                another session. Nothing was done. Reload the page and submit it again.</div>
                """))
        }
        return await handle(session)
    }
}

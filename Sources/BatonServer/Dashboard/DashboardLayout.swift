import Foundation

/// The frame every dashboard page shares: the document head, the navigation with the
/// sign-out button, and the page's content.
enum DashboardLayout {
    /// The page a navigation link leads to, to mark the current one.
    enum Section: Sendable {
        case workflows, runs
    }

    /// A complete document. `session` is `nil` on the sign-in page (no navigation then).
    static func document(title: String, session: DashboardSessions.Session?, section: Section? = nil, content: HTML) -> HTML {
        let navigation: HTML = session.map { session in
            """
            <header class="top">
            <a class="brand" href="/">Baton</a>
            <nav>\(link("/", "Workflows", current: section == .workflows))\(link("/runs", "Runs", current: section == .runs))</nav>
            <form method="post" action="/logout">\(csrfField(session))<button type="submit">Sign out</button></form>
            </header>
            """
        } ?? """
            <header class="top"><span class="brand">Baton</span></header>
            """
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>\(title) · Baton</title>
            <link rel="stylesheet" href="\(DashboardStyle.href)">
            </head>
            <body>
            \(navigation)
            <main>
            \(content)
            </main>
            </body>
            </html>

            """
    }

    /// The hidden field that carries the session's CSRF token in a POST form.
    static func csrfField(_ session: DashboardSessions.Session) -> HTML {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(session.csrfToken)\">"
    }

    /// A list of problems, each on its line.
    static func problems(_ messages: [String]) -> HTML {
        guard !messages.isEmpty else { return .empty }
        let items = messages.map { message -> HTML in "<li>\(message)</li>" }
        return "<div class=\"problem\" role=\"alert\"><strong>Please fix:</strong><ul>\(items)</ul></div>"
    }

    /// A status as a coloured pill.
    static func status(_ text: String) -> HTML {
        "<span class=\"status \(text)\">\(text)</span>"
    }

    private static func link(_ href: String, _ text: String, current: Bool) -> HTML {
        current ? "<a href=\"\(href)\" aria-current=\"page\">\(text)</a>" : "<a href=\"\(href)\">\(text)</a>"
    }
}

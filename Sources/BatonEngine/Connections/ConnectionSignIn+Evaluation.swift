import BatonCore
import Foundation
import JSONata

extension ConnectionSignIn {
    /// The sign-in of `connection` with its expressions evaluated against `context` (an object
    /// with `env` and `secrets`); nil when the connection's auth keeps no token set.
    ///
    /// - Throws: ``ConnectionError`` with code `invalidSettings` when a value does not fit.
    public init?(connection: Connection, context: JSONValue, requestTimeout: Duration = .seconds(20)) throws {
        let evaluator = HTTPStepCalls.Evaluator(context: context,
                                                step: Step(id: connection.name, action: .transform(.literal(.null)),
                                                           location: connection.location))
        func text(_ template: Template, _ key: String) throws -> String {
            do {
                return try evaluator.text(template, key)
            } catch let problem as EvaluationProblem {
                // An undefined value is most often a secret that was never set.
                let hint = problem.message.contains("undefined") ? " (or set the secret it reads; 'baton secrets list' shows the stored ones)" : ""
                throw ConnectionError(.invalidSettings, connection: connection.name,
                                      message: "connection '\(connection.name)' (\(connection.location)): \(problem.message)\(hint)")
            } catch let error as TemplateEvaluationError {
                throw ConnectionError(.invalidSettings, connection: connection.name,
                                      message: "connection '\(connection.name)': \(error)")
            }
        }
        switch connection.auth {
        case .oauth2User(let grant)?:
            let client = OAuth2UserClient(
                grant: grant.grant, tokenURL: try text(grant.tokenURL, "token_url"),
                authorizeURL: try grant.authorizeURL.map { try text($0, "authorize_url") },
                clientID: try text(grant.clientID, "client_id"),
                clientSecret: try grant.clientSecret.map { try text($0, "client_secret") },
                scopes: grant.scopes, redirectURI: try grant.redirectURI.map { try text($0, "redirect_uri") },
                seedRefreshToken: try grant.refreshToken.map { try text($0, "refresh_token") },
                clientAuthentication: grant.clientAuthentication)
            self.init(name: connection.name, kind: connection.auth!.kindName, method: .oauth2(client),
                      requestTimeout: requestTimeout)
        case .session(let session)?:
            self.init(name: connection.name, kind: "session",
                      method: .session(SessionSignIn(auth: session, connection: connection, context: context)),
                      header: session.header, scheme: session.scheme, requestTimeout: requestTimeout)
        default:
            return nil
        }
    }
}

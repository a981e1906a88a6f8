import ArgumentParser
import AsyncHTTPClient
import BatonCore
import BatonEngine
import BatonServer
import BatonStore
import Foundation

/// `baton connect NAME [--code CODE]`: signs a connection in and stores its token set, encrypted.
struct ConnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Sign a connection in and keep its tokens, encrypted, in the database.",
        discussion: """
            For an OAuth2 connection with grant authorization_code, prints the authorization URL (on \
            standard output), waits for the browser's redirect to http://127.0.0.1:PORT/callback (or the \
            connection's redirect_uri), exchanges the code with its PKCE verifier and stores the token set. \
            --code CODE finishes with a code (or the whole redirect URL) obtained elsewhere. A session \
            connection logs in; grant refresh_token starts from its refresh_token. Runs then refresh the \
            tokens by themselves.
            """
    )

    @Argument(help: "The connection's name, as declared under 'connections:'.")
    var name: String

    @Option(help: "An authorization code (or the whole redirect URL) to exchange instead of waiting for the redirect.")
    var code: String?

    @Option(help: "Where the workflows that declare connections are.")
    var workflows = "Workflows"

    @Option(name: .customLong("workflow"), help: "A workflow file that declares the connection (repeatable).")
    var files: [String] = []

    @Option(help: "The loopback port to wait on when the connection has no redirect_uri (default: any free port).")
    var port: Int?

    @Option(help: "How long to wait for the browser's redirect, e.g. 5m.")
    var timeout = "5m"

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        var problems: [String] = []
        if let port, !(0...65535).contains(port) { problems.append("--port must be between 0 and 65535") }
        if ((try? DurationText.parse(timeout)) ?? .zero) <= .zero { problems.append("--timeout must be a duration like 5m") }
        if !problems.isEmpty { throw ValidationError(problems.joined(separator: "\n")) }
    }

    func run() async throws {
        let definitions = ConnectionDefinitions.load(directory: workflows, files: files)
        guard let found = definitions.find(name) else {
            let known = definitions.signInNames
            let list = known.isEmpty ? "" : "; connections that sign in: \(known.joined(separator: ", "))"
            printError("error: no workflow in \(workflows)/\(files.isEmpty ? "" : " or --workflow") declares connection '\(name)'\(list)\(definitions.invalidFiles.isEmpty ? "" : " (\(definitions.invalidFiles.count) file(s) did not validate; 'baton validate' shows why)")")
            throw ExitCode(1)
        }
        let store = try database.openStore()
        let environment = try await database.runEnvironment(store)
        let signIn: ConnectionSignIn
        do {
            let context = try ConnectionDefinitions.context(for: found.workflow, environment: environment)
            guard let made = try ConnectionSignIn(connection: found.connection, context: context) else {
                printError("error: connection '\(name)' (\(found.connection.location)) uses \(found.connection.auth?.kindName ?? "no") auth, which keeps no signed-in token; nothing to connect")
                throw ExitCode(1)
            }
            signIn = made
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        let tokens = database.connectionTokens(store, owner: "baton-connect-\(ProcessInfo.processInfo.processIdentifier)")
        let client = StepHTTPClient(client: HTTPClient.shared)
        do {
            let result: TokenSet
            switch signIn.method {
            case .session:
                if code != nil {
                    printError("error: --code applies to OAuth2 connections; connection '\(name)' uses a session login, so run 'baton connect \(name)' alone")
                    throw ExitCode(2)
                }
                result = try await tokens.signInNow(signIn, using: client)
            case .oauth2(let oauth):
                if let code {
                    result = try await finish(with: code, oauth: oauth, signIn: signIn, tokens: tokens, client: client)
                } else if oauth.authorizeURL == nil {
                    // Grant refresh_token without an authorization endpoint: start from the given refresh token.
                    result = try await tokens.signInNow(signIn, using: client)
                } else {
                    guard let received = try await authorize(oauth, signIn: signIn, tokens: tokens, client: client) else { return }
                    result = received
                }
            }
            let expiry = result.expiresAt.map { "its token expires at \(ISO8601Time.format($0)) and is refreshed before then" }
                ?? "its token has no known expiry"
            printError("connection '\(name)' signed in; \(expiry)")
        } catch let error as ExitCode {
            throw error
        } catch let error as StepCallError where !error.message.hasPrefix("connection '") {
            printError("error: connection '\(name)' could not sign in: \(error.message)")
            throw ExitCode(1)
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}

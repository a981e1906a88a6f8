import BatonTestSupport
import Foundation
import Testing

/// `baton connect` and `baton connections list` on the real binary against a local OAuth2
/// provider, and `baton run` keeping a connection signed in across a refresh and a kill -9.
@Suite(.serialized) struct ConnectCommandTests {
    static let workflow = """
        name: post
        connections:
          social:
            base_url: ${{ env.PROVIDER }}
            auth:
              oauth2:
                grant: authorization_code
                authorize_url: ${{ env.PROVIDER }}/authorize
                token_url: ${{ env.PROVIDER }}/token
                client_id: baton-app
                client_secret: ${{ secrets.SOCIAL_SECRET }}
                scopes: [post.write, offline.access]
        steps:
          - id: post
            http: {connection: social, url: /api}
        """

    /// A folder with `Workflows/post.yaml`, a running provider, and the environment for `baton`.
    struct Setup {
        let directory: URL
        let provider: ConnectTestProvider
        var environment: [String: String] {
            ["PROVIDER": provider.baseURL, "BATON_SECRET_SOCIAL_SECRET": ConnectTestProvider.clientSecret,
             "BATON_SECRET_KEY": "connect-cli-test-key"]
        }

        static func with(_ body: (Setup) async throws -> Void) async throws {
            let directory = try BatonProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let workflows = directory.appendingPathComponent("Workflows")
            try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
            try RunCommandTests.write(ConnectCommandTests.workflow, "post.yaml", in: workflows)
            let provider = ConnectTestProvider()
            try await provider.start()
            defer { provider.stop() }
            try await body(Setup(directory: directory, provider: provider))
        }

        /// The database file and its WAL, as bytes.
        var databaseBytes: Data {
            let path = directory.appendingPathComponent("baton.sqlite").path
            var bytes = FileManager.default.contents(atPath: path) ?? Data()
            bytes.append(FileManager.default.contents(atPath: path + "-wal") ?? Data())
            return bytes
        }

        /// Runs `baton connect social` through the browser's part: the authorization URL, its
        /// redirect to the loopback listener. Returns what `baton connect` printed on stderr.
        @discardableResult
        func connect() async throws -> String {
            let process = try ConnectCLIProcess.start(["connect", "social", "--db", "baton.sqlite"], in: directory, environment: environment)
            let url = try await process.line(startingWith: provider.baseURL + "/authorize?")
            let authorize = try await ConnectCLIProcess.get(url)
            #expect(authorize.status == 302)
            let callback = try #require(authorize.location)
            #expect(callback.hasPrefix("http://127.0.0.1:"))
            let page = try await ConnectCLIProcess.get(callback)
            #expect(page.status == 200)
            #expect(page.body.contains("Connection 'social' is signed in. You can close this window."))
            let status = try await process.exitStatus()
            #expect(status == 0, "\(process.stderr)")
            return process.stderr
        }
    }

    @Test func connectSignsInWithPKCEAndListsTheConnection() async throws {
        try await Setup.with { setup in
            let stderr = try await setup.connect()
            #expect(stderr.contains("connection 'social' signed in; its token expires at "))
            #expect(setup.provider.read { $0.codeCalls } == 1)
            #expect(setup.provider.read { $0.rejectedVerifiers } == 0)
            let refresh = try #require(setup.provider.currentRefreshToken)

            let json = try await BatonProcess.runAsync(["connections", "list", "--json", "--db", "baton.sqlite"], in: setup.directory,
                                                       environment: setup.environment)
            #expect(json.status == 0, "\(json.stderr)")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(list.count == 1)
            #expect(list.first?["name"] as? String == "social")
            #expect(list.first?["kind"] as? String == "oauth2 authorization_code")
            #expect(list.first?["state"] as? String == "valid")
            #expect(list.first?["valid"] as? Bool == true)
            #expect((list.first?["expires_at"] as? String)?.hasSuffix("Z") == true)
            #expect(list.first?["workflows"] as? [String] == ["post"])

            let text = try await BatonProcess.runAsync(["connections", "list", "--db", "baton.sqlite"], in: setup.directory,
                                                       environment: setup.environment)
            let lines = text.stdout.split(separator: "\n")
            #expect(lines.first == "NAME    KIND                       STATE  EXPIRES")
            #expect(lines.dropFirst().first?.hasPrefix("social  oauth2 authorization_code  valid  20") == true)
            #expect(!(json.stdout + text.stdout).contains(refresh))
            #expect(setup.databaseBytes.range(of: Data(refresh.utf8)) == nil, "the refresh token is in the database in clear")
        }
    }

    @Test func codeFinishesAnAuthorizationStartedEarlier() async throws {
        try await Setup.with { setup in
            let waiting = try ConnectCLIProcess.start(["connect", "social", "--db", "baton.sqlite"], in: setup.directory,
                                                      environment: setup.environment)
            let url = try await waiting.line(startingWith: setup.provider.baseURL + "/authorize?")
            // The browser is elsewhere: the redirect never reaches this machine's listener.
            let redirect = try #require(try await ConnectCLIProcess.get(url).location)
            waiting.kill(SIGTERM)

            let forged = redirect.replacingOccurrences(of: "state=", with: "state=x")
            let refused = try await BatonProcess.runAsync(["connect", "social", "--db", "baton.sqlite", "--code", forged],
                                                          in: setup.directory, environment: setup.environment)
            #expect(refused.status == 1)
            #expect(refused.stderr == "error: the redirect's state does not match the sign-in 'baton connect social' started last; run 'baton connect social' again\n")

            let finished = try await BatonProcess.runAsync(["connect", "social", "--db", "baton.sqlite", "--code", redirect],
                                                           in: setup.directory, environment: setup.environment)
            #expect(finished.status == 0, "\(finished.stderr)")
            #expect(setup.provider.read { $0.rejectedVerifiers } == 0)
            #expect(setup.provider.read { $0.codeCalls } == 1)
        }
    }

    @Test func processKilledRightAfterARefreshKeepsTheRotatedToken() async throws {
        try await Setup.with { setup in
            try await setup.connect()
            // The token is revoked: the run's step gets a 401, refreshes, and retries with the
            // new token, which the API holds until the test kills the process.
            setup.provider.expireAccessTokens()
            setup.provider.change { $0.apiDelay = .seconds(30) }
            let run = try ConnectCLIProcess.start(["run", "post", "--db", "baton.sqlite"], in: setup.directory,
                                                  environment: setup.environment)
            let deadline = ContinuousClock.now + .seconds(30)
            while setup.provider.read({ $0.apiCallsWithRefreshedToken }) == 0, ContinuousClock.now < deadline, run.process.isRunning {
                try await Task.sleep(for: .milliseconds(10))
            }
            run.kill(SIGKILL)
            #expect(run.process.terminationReason == .uncaughtSignal, "\(run.stderr)")
            #expect(setup.provider.read { $0.refreshCalls } == 1)
            let rotated = try #require(setup.provider.currentRefreshToken)

            // Only the rotated refresh token works now; the next run needs it to refresh.
            setup.provider.change { $0.apiDelay = .zero }
            setup.provider.expireAccessTokens()
            let next = try await BatonProcess.runAsync(["run", "post", "--db", "baton.sqlite"], in: setup.directory,
                                                       environment: setup.environment)
            #expect(next.status == 0, "\(next.stderr)")
            #expect(setup.provider.read { $0.refreshCalls } == 2)
            #expect(setup.provider.currentRefreshToken != rotated)
            #expect(!next.stdout.contains("at-"), "the access token the API echoed is printed in clear")
            #expect(setup.databaseBytes.range(of: Data(rotated.utf8)) == nil)
        }
    }

    @Test func refusedRefreshTokenSaysWhichConnectionAndWhatToRun() async throws {
        try await Setup.with { setup in
            try await setup.connect()
            setup.provider.change { $0.refreshTokenExpired = true }
            setup.provider.expireAccessTokens()
            let run = try await BatonProcess.runAsync(["run", "post", "--db", "baton.sqlite"], in: setup.directory,
                                                      environment: setup.environment)
            #expect(run.status == 1)
            let message = "connection 'social' needs to be signed in again: the token endpoint POST \(setup.provider.baseURL)/token rejected the refresh token of connection 'social' (invalid_grant: refresh token expired or revoked); run 'baton connect social'"
            #expect(run.stderr.contains(message), "\(run.stderr)")

            let list = try await BatonProcess.runAsync(["connections", "list", "--db", "baton.sqlite"], in: setup.directory,
                                                       environment: setup.environment)
            #expect(list.stdout.contains("social  oauth2 authorization_code  needs_attention"))
            #expect(list.stderr.contains("connection 'social' needs attention: the token endpoint POST"))
        }
    }

    @Test func serveLogsAndCountsAConnectionThatNeedsAttention() async throws {
        try await Setup.with { setup in
            try await setup.connect()
            setup.provider.change { $0.refreshTokenExpired = true }
            setup.provider.expireAccessTokens()
            var environment = setup.environment
            environment["BATON_API_TOKEN"] = "t0ken"
            let server = try await ServeProcess.start([], in: setup.directory, environment: environment)
            let started = try await ServeCommandTests.send("\(server.url)/api/workflows/post/runs", body: "{}", token: "t0ken")
            #expect(started.status == 202 || started.status == 201, "\(started.text)")
            let line = #"baton_connection_refresh_failures_total{connection="social"} 1"#
            let deadline = ContinuousClock.now + .seconds(20)
            var metrics = ""
            while !metrics.contains(line), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                metrics = try await ServeCommandTests.send("\(server.url)/metrics", method: .GET).text
            }
            #expect(metrics.contains(line), "\(metrics)")
            #expect(server.log.contains("connection 'social' needs attention: the token endpoint POST"))
            #expect(!server.log.contains(setup.provider.currentRefreshToken ?? "no token"))
            await server.stop()
        }
    }

    @Test func connectNamesTheConnectionsItKnows() async throws {
        try await Setup.with { setup in
            let output = try await BatonProcess.runAsync(["connect", "socal", "--db", "baton.sqlite"], in: setup.directory,
                                                         environment: setup.environment)
            #expect(output.status == 1)
            #expect(output.stderr == "error: no workflow in Workflows/ declares connection 'socal'; connections that sign in: social\n")
        }
    }
}

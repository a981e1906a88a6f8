import BatonStore
import Foundation
import JSONata
import Testing

/// Examples/audit: the README's commands, run as written (the run id, the server's address and
/// the token replaced by this test's) on the real `baton` binary, over the runs the webhook-chain
/// example leaves when Linear has an outage.
@Suite("Example: audit walkthrough")
struct AuditWalkthroughTests {
    /// The commands of the README's `sh` blocks: `baton ...` lines, and `export NAME=VALUE` lines.
    static func commands() throws -> [String] {
        let readme = try Repository.text("Examples/audit/README.md")
        return readme.components(separatedBy: "```sh\n").dropFirst().flatMap { block in
            (block.components(separatedBy: "\n```").first ?? "").split(separator: "\n").map {
                String($0.split(separator: "#", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces)
            }
        }.filter { $0.hasPrefix("baton ") || $0.hasPrefix("export ") }
    }

    @Test("find the failed runs of the last day, see why, retry one, export a week as CSV")
    func walkthrough() async throws {
        let commands = try Self.commands()
        #expect(commands.contains { $0.hasPrefix("baton runs list") })
        #expect(commands.contains { $0.hasPrefix("baton runs show") })
        #expect(commands.contains { $0.hasPrefix("baton runs retry") })
        #expect(commands.contains { $0.hasPrefix("baton runs export") })
        #expect(commands.contains { $0.hasPrefix("baton runs prune") })

        try await WebhookChainTests().withExample { server, slack, discord, linear in
            // The runs the walkthrough starts from: two releases announced while Linear was down.
            slack.gate.open()
            linear.outage(true)
            var failed: [String] = []
            for (tag, delivery) in [("v1.4.0", "d-audit-1"), ("v1.4.1", "d-audit-2")] {
                let body = WebhookChainTests.release().replacingOccurrences(of: "v1.4.0", with: tag)
                let reply = try await server.post("/hooks/github/release", body: body,
                                                  headers: WebhookChainTests.headers(body, delivery: delivery))
                failed.append(try #require(reply.json?["run_id"]?.stringValue))
            }
            for id in failed { #expect(try await server.finished(id).status == .failed) }
            linear.outage(false)
            let announcements = (slack.service.requests.count, discord.service.requests.count)

            var environment: [String: String] = [:]
            var outputs: [String: BatonCommandLine.Output] = [:]
            for line in commands {
                var words = ShellCommand(line).words
                if words.first == "export" {
                    for assignment in words.dropFirst() {
                        let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
                        environment[parts[0]] = parts[0] == "BATON_API_TOKEN" ? server.token : parts.last
                    }
                    continue
                }
                // `> FILE` is the shell's; this test reads standard output instead.
                if let redirect = words.firstIndex(of: ">") { words.removeSubrange(redirect...) }
                words = words.dropFirst().map { word in
                    if word.wholeMatch(of: #/01[0-9A-Z]{24}/#) != nil { return failed[0] }
                    return word.replacingOccurrences(of: "http://127.0.0.1:8080", with: server.url)
                }
                let output = try await BatonCommandLine.run(words, in: server.directory, environment: environment)
                #expect(output.status == 0, "baton \(words.joined(separator: " ")):\n\(output.stdout)\n\(output.stderr)")
                outputs[words.prefix(2).joined(separator: " ")] = output
            }

            // list: both failed runs of the day.
            let list = try #require(outputs["runs list"]?.stdout)
            #expect(failed.allSatisfy { list.contains($0) })
            // show: the step that failed, and why.
            let show = try #require(outputs["runs show"]?.stdout)
            #expect(show.contains("tracker"))
            #expect(show.contains("503"))
            // retry: a new run that succeeded without announcing the release a second time.
            let retried = try await server.runs(of: "github-release").filter { $0.triggerKind == .retry }
            #expect(retried.count == 1)
            #expect(retried.first?.status == .succeeded)
            #expect(retried.first.flatMap(server.output(of:))?["issue"] == "ENG-142")
            #expect(slack.service.requests.count == announcements.0)
            #expect(discord.service.requests.count == announcements.1)
            // export: a CSV header and one row per run of the week.
            let csv = try #require(outputs["runs export"]?.stdout).split(whereSeparator: \.isNewline)
            #expect(csv.first?.hasPrefix("id,") == true)
            #expect(csv.count == 4)
            // prune: nothing of this week is old enough to go.
            #expect(try await server.runs(of: "github-release").count == 3)
        }
    }
}

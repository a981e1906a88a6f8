import BatonCore
import BatonStore
import Foundation
import JSONata
import OrderedCollections
import Testing

/// Examples/social-scheduler: its two real workflow files served by a real server, against
/// stand-ins for Airtable (the calendar), Mastodon, Bluesky, X and LinkedIn.
@Suite("Example: social-scheduler")
struct SocialSchedulerTests {
    static let article = "Baton 1.0 is out (finally): durable runs in SQLite, webhooks with signature checks, schedules with "
        + "catch-up, polls, waits for events, and an audit trail you can search, retry and export. We spent a year on the "
        + "details so that a workflow that calls ten APIs survives a crash, a deploy and a rate limit — without double "
        + "posting. Read the announcement https://example.com/blog/baton-1-0?utm_source=social #swift #automation #opensource"
    static let link = "https://example.com/blog/baton-1-0?utm_source=social"
    static let tags = "#swift #automation #opensource"
    static let officeHours = "Office hours at 15:00 today: bring your questions about #swift workflows"

    @Test("a 15-minute slot publishes the due posts, each shaped to its platforms, and records each outcome on the calendar")
    func publishesDuePosts() async throws {
        let clock = ShiftedClock()
        let slot = Self.quarterHour(after: clock.now().addingTimeInterval(10))
        let airtable = AirtableStandIn(records: [
            ("recLaunch0000001", ["Text": .string(Self.article), "Platforms": ["Mastodon", "Bluesky", "X", "LinkedIn"],
                                  "Publish at": Self.iso(slot, -60), "Status": "Scheduled"]),
            // Due 15 s after the slot: the clock moves less than a run's 30 s lease, which a
            // run in flight (the scheduled run, polling its children) keeps renewing.
            ("recOffice0000002", ["Text": .string(Self.officeHours), "Platforms": ["Mastodon"],
                                  "Publish at": Self.iso(slot, 15), "Status": "Scheduled"]),
            ("recLater00000003", ["Text": "Not yet", "Platforms": ["Bluesky"], "Publish at": Self.iso(slot, 3 * 3600),
                                  "Status": "Scheduled"]),
            ("recPosted0000004", ["Text": "Done before", "Platforms": ["Mastodon"], "Publish at": Self.iso(slot, -86_400),
                                  "Status": "Posted"]),
        ], pageLimit: 1)
        let mastodon = MastodonStandIn(throttled: 1)
        let bluesky = BlueskyStandIn()
        let x = XStandIn(unavailable: true)
        let linkedin = LinkedInStandIn()

        try await StandIn.running([airtable.service, mastodon.service, bluesky.service, x.service, linkedin.service]) {
            let server = try ExampleServer(example: "social-scheduler", files: ["social-scheduler.yaml", "social-post.yaml"], environment: [
                "AIRTABLE_URL": airtable.service.url, "AIRTABLE_BASE_ID": AirtableStandIn.base,
                "MASTODON_URL": mastodon.service.url, "BLUESKY_URL": bluesky.service.url,
                "BLUESKY_HANDLE": BlueskyStandIn.handle, "X_API_URL": x.service.url,
                "LINKEDIN_URL": linkedin.service.url, "LINKEDIN_AUTHOR": LinkedInStandIn.author, "LINKEDIN_VERSION": "202610",
                "BATON_SECRET_AIRTABLE_TOKEN": AirtableStandIn.token, "BATON_SECRET_MASTODON_TOKEN": MastodonStandIn.token,
                "BATON_SECRET_BLUESKY_APP_PASSWORD": BlueskyStandIn.password, "BATON_SECRET_X_ACCESS_TOKEN": XStandIn.token,
                "BATON_SECRET_LINKEDIN_TOKEN": LinkedInStandIn.token,
            ], clock: clock)
            try await server.serving {
                try #require(try await server.triggerRegistered("social-scheduler"), "the schedule was not registered:\n\(server.logs.text)")
                clock.advance(to: slot.addingTimeInterval(1))

                // The post due 15 s after the slot is claimed at once, but waits for its time.
                let office = "recOffice0000002"
                #expect(try await server.eventually(10) { airtable.fields(office)["Status"] == "Queued" })
                #expect(!mastodon.posted.contains { $0.json?["status"] == .string(Self.officeHours) })

                // The post that is due now goes out to its four platforms, and its calendar entry is
                // claimed first, then updated with the outcome.
                let launch = "recLaunch0000001"
                try #require(try await server.eventually(40) { airtable.updates(of: launch).count == 2 },
                             "the launch post was not recorded:\n\(server.logs.text)")
                #expect(airtable.updates(of: launch).first == ["Status": "Queued"])
                let fields = airtable.fields(launch)
                #expect(fields["Status"] == "Partly posted")
                #expect(fields["Mastodon URL"]?.stringValue?.hasPrefix("https://mastodon.example/@ada/") == true)
                #expect(fields["Bluesky URL"]?.stringValue?.hasPrefix("https://bsky.app/profile/ada.bsky.social/post/3l") == true)
                #expect(fields["LinkedIn URL"] == .string("https://www.linkedin.com/feed/update/\(LinkedInStandIn.postURN)"))
                #expect(fields["X URL"] == nil)
                #expect(fields["Errors"] == "X: HTTP 503: Service Unavailable (3 attempts)")
                #expect(fields["Posted at"] != nil)

                // Mastodon: the whole text (a link counts 23 there), sent again after its 429 with
                // the same Idempotency-Key, so one status exists.
                let statuses = mastodon.service.requests(to: "/api/v1/statuses")
                #expect(statuses.count == 2)
                #expect(statuses.allSatisfy { $0.headers["idempotency-key"] == "social-\(launch)-mastodon" })
                #expect(statuses.last?.json?["status"] == .string(Self.article))
                #expect(statuses.last?.json?["visibility"] == "public")

                // Bluesky: session, post cut to 300 characters on a word boundary with the link and
                // hashtags kept and marked as facets (UTF-8 byte ranges), then the session is ended.
                let record = try #require(bluesky.records.first)
                let text = try #require(record["text"]?.stringValue)
                #expect(text == "Baton 1.0 is out (finally): durable runs in SQLite, webhooks with signature checks, schedules "
                    + "with catch-up, polls, waits for events, and an audit trail you can search, retry and export. We spent a "
                    + "year on the… \(Self.link) \(Self.tags)")
                #expect(text.count <= 300)
                #expect(ISO8601Time.parse(record["createdAt"]?.stringValue ?? "") != nil)
                #expect(Self.facetTexts(record, in: text) == [Self.link, "#swift", "#automation", "#opensource"])
                #expect(bluesky.endedSessions == 1)

                // X: cut to 280 as X counts (the link is 23, the ellipsis 2), tried three times, failed.
                let tweets = x.service.requests(to: "/2/tweets")
                #expect(tweets.count == 3)
                let tweet = try #require(tweets.first?.json?["text"]?.stringValue)
                #expect(tweet == "Baton 1.0 is out (finally): durable runs in SQLite, webhooks with signature checks, schedules "
                    + "with catch-up, polls, waits for events, and an audit trail you can search, retry and export. We spent a "
                    + "year on the details so… \(Self.link) \(Self.tags)")
                #expect(XStandIn.length(tweet) <= 280)

                // LinkedIn: the whole text as little text, reserved characters escaped, hashtags as such.
                let posts = linkedin.service.requests(to: "/rest/posts")
                #expect(posts.count == 1)
                let commentary = try #require(posts.first?.json?["commentary"]?.stringValue)
                #expect(commentary.hasPrefix(#"Baton 1.0 is out \(finally\): durable runs"#))
                #expect(commentary.hasSuffix(##"\##(Self.link) {hashtag|\#|swift} {hashtag|\#|automation} {hashtag|\#|opensource}"##))
                #expect(posts.first?.headers["linkedin-version"] == "202610")

                // Then the post due 15 s after the slot, which waited for its time.
                clock.advance(to: slot.addingTimeInterval(16))
                try #require(try await server.eventually(20) { airtable.fields(office)["Status"] == "Posted" },
                             "the timed post was not published:\n\(server.logs.text)")
                #expect(mastodon.posted.last?.json?["status"] == .string(Self.officeHours))

                // Entries not due, or posted before, are left alone.
                #expect(airtable.updates(of: "recLater00000003").isEmpty)
                #expect(airtable.updates(of: "recPosted0000004").isEmpty)

                // The scheduled run read both pages and waited for both posts' runs.
                let run = try #require(try await server.finishedRuns(of: "social-scheduler", count: 1).first)
                #expect(run.status == .succeeded)
                #expect(run.triggerKind == .schedule)
                let summary = try #require(server.output(of: run))
                #expect(summary["due"] == 2)
                #expect(summary["posts"]?[0]?["status"] == "Partly posted")
                #expect(summary["posts"]?[1]?["status"] == "Posted")
                #expect(summary["posts"]?[1]?["posted"]?["Mastodon"] != nil)
                #expect(airtable.service.requests(to: "/v0/\(AirtableStandIn.base)/Posts", method: "GET").count == 2)
            }
        }
    }

    // MARK: Helpers

    /// The first quarter hour (:00, :15, :30, :45) after `date`.
    static func quarterHour(after date: Date) -> Date {
        let quarter = 15.0 * 60
        return Date(timeIntervalSince1970: (date.timeIntervalSince1970 / quarter).rounded(.down) * quarter + quarter)
    }

    static func iso(_ date: Date, _ offset: TimeInterval) -> JSONValue {
        .string(ISO8601Time.format(date.addingTimeInterval(offset)))
    }

    /// The text each facet of a Bluesky record points at, cut from the text's UTF-8 bytes.
    static func facetTexts(_ record: JSONValue, in text: String) -> [String] {
        guard case .array(let facets)? = record["facets"] else { return [] }
        let bytes = Array(text.utf8)
        return facets.compactMap { facet in
            guard let start = facet["index"]?["byteStart"]?.numberValue, let end = facet["index"]?["byteEnd"]?.numberValue,
                  start >= 0, end <= Double(bytes.count), start < end else { return nil }
            return String(decoding: bytes[Int(start)..<Int(end)], as: UTF8.self)
        }
    }
}

import BatonStore
import Foundation
import JSONata
import Testing

/// Cron schedules under a test clock: firing, catch-up after downtime, overlap, several servers.
@Suite(.timeLimit(.minutes(2)))
struct ScheduleServerTests {
    static func hourly(catchUp: String = "none", overlap: String = "allow") -> String {
        """
        name: hourly
        overlap: \(overlap)
        triggers:
          - schedule: { cron: "0 * * * *", catch_up: \(catchUp) }
        steps:
          - id: slot
            transform: ${{ trigger.scheduled_at }}
        """
    }

    /// A clock 30 s before the next whole hour, so that slots are easy to reach.
    static func clockBeforeHour() -> OffsetClock {
        let now = Date().timeIntervalSince1970
        let nextHour = (now / 3600).rounded(.down) * 3600 + 3600
        return OffsetClock(offset: nextHour - 30 - now)
    }

    @Test func aScheduleFiresWhenItsSlotComes() async throws {
        let server = try ServerHarness(clock: Self.clockBeforeHour())
        defer { server.remove() }
        try server.write("hourly.yaml", Self.hourly())
        try await server.start()
        // Registered 30 s before the hour: nothing is due yet.
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await server.runs(of: "hourly").isEmpty)
        server.clock.advance(by: 31)
        let fired = try await server.eventually { try await server.runs(of: "hourly").count == 1 }
        #expect(fired)
        let run = try #require(try await server.runs(of: "hourly").first)
        let payload = try JSONValue(parsing: run.triggerPayload ?? "{}")
        let slot = try #require(ISO8601DateFormatter().date(from: payload["scheduled_at"]?.stringValue ?? ""))
        #expect(Int(slot.timeIntervalSince1970) % 3600 == 0)
        #expect(run.triggerKind == .schedule)
        // The slot fires once.
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await server.runs(of: "hourly").count == 1)
        await server.stop()
    }

    @Test(arguments: [("none", 0), ("latest", 1), ("all", 3)])
    func catchUpAfterDowntime(policy: String, expected: Int) async throws {
        let clock = Self.clockBeforeHour()
        let server = try ServerHarness(clock: clock)
        defer { server.remove() }
        try server.write("hourly.yaml", Self.hourly(catchUp: policy))
        try await server.start()
        try await server.eventually { try await server.store.scheduleState(key: "hourly#0") != nil }
        await server.stop()
        // Down for three slots (the last one 2 minutes ago, past the on-time grace).
        clock.advance(by: 2 * 3600 + 150)
        try await server.start()
        try await Task.sleep(for: .milliseconds(800))
        try await server.eventually(3) { try await server.runs(of: "hourly").count >= expected }
        let runs = try await server.runs(of: "hourly")
        #expect(runs.count == expected)
        if policy == "none" { #expect(server.logs.text.contains("missed 3 slot(s)")) }
        await server.stop()
    }

    @Test func twoServersOnOneDatabaseFireASlotOnce() async throws {
        let clock = Self.clockBeforeHour()
        let first = try ServerHarness(clock: clock)
        defer { first.remove() }
        try first.write("hourly.yaml", Self.hourly())
        try await first.start()
        // A second server on the same database and folder.
        let second = try ServerHarness(clock: clock)
        defer { second.remove() }
        try second.write("hourly.yaml", Self.hourly())
        try await second.startOn(database: first.dbPath)
        try await Task.sleep(for: .milliseconds(300))
        clock.advance(by: 31)
        try await first.eventually { try await first.runs(of: "hourly").count >= 1 }
        try await Task.sleep(for: .milliseconds(1500))
        #expect(try await first.runs(of: "hourly").count == 1)
        await second.stop()
        await first.stop()
    }

    @Test func overlapSkipDropsASlotWhileARunIsGoing() async throws {
        let yaml = """
            name: slow
            overlap: skip
            triggers:
              - schedule: { cron: "* * * * *" }
            steps:
              - id: hold
                wait: 1h
            """
        let clock = Self.clockBeforeHour()
        let server = try ServerHarness(clock: clock)
        defer { server.remove() }
        try server.write("slow.yaml", yaml)
        try await server.start()
        try await Task.sleep(for: .milliseconds(300))
        clock.advance(by: 31)
        try await server.eventually { try await server.runs(of: "slow").count == 1 }
        clock.advance(by: 60)
        // the skip is logged when the scheduler has handled the slot: waited for, not slept on,
        // since a fixed sleep was too short on a loaded machine
        #expect(await server.eventually { server.logs.text.contains("overlap: skip") })
        #expect(try await server.runs(of: "slow").count == 1)
        await server.stop()
    }
}

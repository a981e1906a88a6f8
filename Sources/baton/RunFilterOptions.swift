import ArgumentParser

/// The run filters `baton runs list` and `baton runs export` share, as the API's query parameters.
struct RunFilterOptions: ParsableArguments {
    @Option(help: "Only runs of this workflow.")
    var workflow: String?

    @Option(help: "Only runs in these statuses, separated by commas: queued, running, waiting, succeeded, failed, cancelled.")
    var status: String?

    @Option(help: "Only runs started by this trigger: webhook, schedule, poll, manual or retry.")
    var trigger: String?

    @Option(help: "Only runs created since this time, e.g. 24h or 2026-03-29T09:00:00Z.")
    var since: String?

    @Option(help: "Only runs created before this time.")
    var until: String?

    @Option(help: "Only runs whose trigger payload or error contains this text (ASCII letters in any case).")
    var search: String?

    /// The filters given, as `GET /api/runs` names them.
    var parameters: [(String, String)] {
        [("workflow", workflow), ("status", status), ("trigger", trigger), ("since", since), ("until", until), ("q", search)]
            .compactMap { name, value in value.map { (name, $0) } }
    }
}

import Foundation

/// How `baton serve` is set up; the defaults are the command line's.
public struct ServerConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The port to listen on; 0 picks a free one (see ``BatonServer/onListening``).
    public var port: Int
    /// The folder of workflow files to serve.
    public var workflowsDirectory: String
    /// The URL clients reach this server at, for `status_url` and `run.resume_url`; by default
    /// `http://HOST:PORT` as bound.
    public var publicURL: String?
    /// How often the workflows folder is checked for changed, added and removed files.
    public var reloadInterval: Duration
    /// How long runs in flight may take to finish their current steps after SIGTERM/SIGINT.
    public var gracePeriod: Duration
    /// The most runs executed at once by this process.
    public var maxConcurrentRuns: Int
    /// The API token from the environment (`BATON_API_TOKEN`); without one the server makes one.
    public var apiToken: String?
    /// How many missed slots `catch_up: all` fires at most per schedule.
    public var catchUpCap: Int
    /// How many seen item keys a poll trigger remembers.
    public var pollMemory: Int
    /// Runs that finished longer ago than this are pruned daily (`--retention`); `nil` keeps them all.
    public var retention: Duration? = nil

    /// Creates a configuration with the documented defaults.
    public init(host: String = "127.0.0.1", port: Int = 8080, workflowsDirectory: String = "Workflows",
                publicURL: String? = nil, reloadInterval: Duration = .seconds(1), gracePeriod: Duration = .seconds(10),
                maxConcurrentRuns: Int = 32, apiToken: String? = nil, catchUpCap: Int = 100, pollMemory: Int = 10_000) {
        self.host = host
        self.port = port
        self.workflowsDirectory = workflowsDirectory
        self.publicURL = publicURL
        self.reloadInterval = reloadInterval
        self.gracePeriod = gracePeriod
        self.maxConcurrentRuns = maxConcurrentRuns
        self.apiToken = apiToken
        self.catchUpCap = catchUpCap
        self.pollMemory = pollMemory
    }
}

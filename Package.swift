// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Baton",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "baton", targets: ["baton"]),
        .library(name: "JSONata", targets: ["JSONata"]),
        .library(name: "BatonCore", targets: ["BatonCore"]),
        .library(name: "BatonEngine", targets: ["BatonEngine"]),
        .library(name: "BatonServer", targets: ["BatonServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // One trait named explicitly: with the two defaults, SwiftPM reorders them between builds
        // and rebuilds needlessly.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // The expression language. Depends on nothing else of ours.
        .target(
            name: "JSONata",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")]
        ),
        // Workflow model, loading, validation, templates, cron, durations.
        .target(
            name: "BatonCore",
            dependencies: [
                "JSONata",
                .product(name: "Yams", package: "Yams"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        // Persistence: workflow versions, runs, steps, attempts, timers, leases (SQLite via GRDB).
        .target(
            name: "BatonStore",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The executor: run state machine, step runners, retries, rate limits.
        .target(
            name: "BatonEngine",
            dependencies: [
                "BatonCore", "BatonStore", "JSONata",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        // `baton serve`: webhook ingress, schedules, polls, events, the REST API, metrics.
        .target(
            name: "BatonServer",
            dependencies: [
                "BatonCore", "BatonEngine", "BatonStore", "JSONata",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // The command-line tool: thin, calls the libraries.
        .executableTarget(
            name: "baton",
            dependencies: [
                "BatonCore", "BatonEngine", "BatonStore", "BatonServer", "JSONata",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "jsonata-bench", dependencies: ["JSONata"], path: "Sources/JSONataBenchmark"),
        .executableTarget(name: "baton-bench", dependencies: ["BatonEngine", "BatonStore", "BatonCore", "JSONata", .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")], path: "Sources/BatonBenchmark"),
        .testTarget(name: "JSONataTests", dependencies: ["JSONata", .product(name: "OrderedCollections", package: "swift-collections")], exclude: ["known-failures.txt"]),
        .testTarget(name: "BatonCoreTests", dependencies: ["BatonCore"], exclude: ["Fixtures"]),
        .testTarget(name: "BatonStoreTests", dependencies: ["BatonStore", .product(name: "GRDB", package: "GRDB.swift")]),
        // Test doubles shared by several test targets (test targets cannot share sources).
        .target(
            name: "BatonTestSupport",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Tests/BatonTestSupport"
        ),
        .testTarget(
            name: "BatonEngineTests",
            dependencies: [
                "BatonEngine", "BatonCore", "BatonStore", "JSONata", "BatonTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "BatonServerTests",
            dependencies: [
                "BatonServer", "BatonEngine", "BatonCore", "BatonStore", "JSONata",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Runs the real `baton` binary; depending on it makes `swift test` build it first.
        // The crash-recovery tests also read the database and serve HTTP to the binary.
        .testTarget(
            name: "BatonCLITests",
            dependencies: [
                "baton", "BatonStore", "BatonTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // The workflows of Examples/ run through a real server against local stand-ins for the
        // APIs they call, and the README's quick start against the real `baton` binary.
        .testTarget(
            name: "ExampleTests",
            dependencies: [
                "baton", "BatonServer", "BatonEngine", "BatonCore", "BatonStore", "JSONata",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

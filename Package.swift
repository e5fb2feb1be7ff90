// swift-tools-version: 6.1
// ShopArena: an open arena for LLM shopping agents. See DESIGN.md for the module map.
import PackageDescription

let package = Package(
    name: "ShopArena",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "shoparena", targets: ["ShopArenaCLI"]),
        .library(name: "ArenaModel", targets: ["ArenaModel"]),
        .library(name: "Search", targets: ["Search"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", .upToNextMinor(from: "1.8.2")),
        .package(url: "https://github.com/hummingbird-project/hummingbird", .upToNextMinor(from: "2.28.1")),
        .package(url: "https://github.com/apple/swift-log", .upToNextMinor(from: "1.16.2")),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", .upToNextMinor(from: "2.13.0")),
        .package(url: "https://github.com/swift-server/async-http-client", .upToNextMinor(from: "1.37.0")),
        .package(url: "https://github.com/groue/GRDB.swift", .upToNextMinor(from: "7.10.0")),
        .package(url: "https://github.com/vapor/postgres-nio", .upToNextMinor(from: "1.33.2")),
        .package(url: "https://github.com/apple/swift-nio", .upToNextMinor(from: "2.101.2")),
        // HTTPTypes (HTTPResponse.Status, HTTPField.Name) is imported directly by Backend, Web and their tests, not only via Hummingbird.
        .package(url: "https://github.com/apple/swift-http-types", .upToNextMinor(from: "1.8.0")),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", .upToNextMinor(from: "2.1.1")),
        .package(url: "https://github.com/apple/swift-metrics", .upToNextMinor(from: "2.13.0")),
        .package(url: "https://github.com/swift-server/swift-prometheus", .upToNextMinor(from: "2.4.1")),
        .package(url: "https://github.com/apple/swift-configuration", .upToNextMinor(from: "1.4.0"),
                 traits: [.defaults, "CommandLineArguments"]),
        .package(url: "https://github.com/swiftlang/swift-subprocess", .upToNextMinor(from: "1.0.2")),
        .package(url: "https://github.com/apple/swift-system", .upToNextMinor(from: "1.8.1")),
        // zlib gzip for corpus exports (streaming, deterministic headers); links the system libz.
        .package(url: "https://github.com/adam-fowler/compress-nio", .upToNextMinor(from: "1.5.0")),
    ],
    targets: [
        // Value types and wire formats shared by every module. No I/O beyond parsing bytes.
        .target(name: "ArenaModel"),
        // Product documents, JSONL catalogs, the deterministic catalog and suite generators.
        .target(name: "Catalog", dependencies: ["ArenaModel"]),
        // Lucene-compatible analyzer, BM25, the binary index and find_product semantics.
        .target(name: "Search", dependencies: ["ArenaModel"]),
        // The search HTTP service (ShoppingBench/ORO search-server routes) on Hummingbird.
        .target(name: "SearchService", dependencies: [
            "Search", "ArenaModel",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Outcome scorer and aggregates (ORO and ShoppingBench rules).
        .target(name: "Scoring", dependencies: ["ArenaModel"]),
        // The trajectory corpus: records with provenance, normalisation to tool-call chat, the structural filter,
        // structural features and agentic richness from the trusted proxy log. Pure logic, no I/O.
        .target(name: "Corpus", dependencies: ["ArenaModel", "Scoring"]),
        // OpenAI-compatible HTTP clients (embeddings) on async-http-client, and the scripted chat stub.
        .target(name: "LLM", dependencies: [
            "ArenaModel",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // libsodium, linked from the system (Debian libsodium-dev).
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        // Hotkeys: sr25519, SS58, signed requests.
        .target(name: "Identity", dependencies: ["CSodium"]),
        // Runs one problem of an agent file in a bubblewrap sandbox and returns its Envelope.
        .target(name: "Sandbox", dependencies: ["ArenaModel"]),
        // The per-problem door out of the sandbox: search and allowlisted inference on a Unix socket,
        // with the trusted call log.
        .target(name: "Proxy", dependencies: [
            "ArenaModel", "Search", "SearchService", "Sandbox",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // Reasoning judge: trajectory text from the trusted proxy log, LLM rubric judge, rule judge, run tracking.
        .target(name: "Judge", dependencies: [
            "ArenaModel", "Scoring", "LLM",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Persistence: one SQL executor protocol with SQLite (GRDB) and PostgreSQL (PostgresNIO) drivers, shared
        // migrations, the arena's repositories written once over it, and the sha256-addressed blob store.
        .target(name: "Store", dependencies: [
            "ArenaModel", "CSodium", "Corpus",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The arena's HTTP API (oro-sdk compatible) on Hummingbird: auth, public, miner, validator, admin routes.
        .target(name: "Backend", dependencies: [
            "Store", "Identity", "ArenaModel", "Corpus", "Scoring",
            .product(name: "Subprocess", package: "swift-subprocess"),
            .product(name: "SystemPackage", package: "swift-system"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        // The arena's web pages, server-rendered with Mustache templates on the backend's router: leaderboard,
        // agents, runs and the trajectory viewer, races, miners, corpus, validators; every asset served locally.
        .target(name: "Web", dependencies: [
            "Backend", "Store", "ArenaModel", "Corpus",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        // The one client of the arena's HTTP API (signed JSON calls, the multipart submission), used by the validator,
        // the local arena and the CLI.
        .target(name: "ArenaClient", dependencies: [
            "ArenaModel", "Identity",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // The validator daemon: claim, heartbeat, sandbox + proxy runs, scoring, judging, progress, upload, complete.
        .target(name: "Validator", dependencies: [
            "ArenaClient", "ArenaModel", "Identity", "Sandbox", "Proxy", "Scoring", "Judge", "Search", "Corpus",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // Builds the running system: settings (file, env, flags), store opening, the evaluation environment shared by
        // eval / validator / the local all-in-one arena (`LocalArena`: backend + validators + LLM stub), benchmark drivers.
        .target(name: "ArenaRuntime", dependencies: [
            "ArenaClient", "ArenaModel", "Backend", "Store", "Validator", "Judge", "LLM", "Sandbox", "Scoring", "Search", "Catalog",
            "Identity", "Web", "Corpus", "Proxy", "SearchService",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Configuration", package: "swift-configuration"),
            .product(name: "Subprocess", package: "swift-subprocess"),
            .product(name: "SystemPackage", package: "swift-system"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "ShopArenaCLI", dependencies: [
            "Store", "Backend", "Judge", "Validator", "ArenaRuntime", "ArenaClient", "Web",
            "ArenaModel", "Catalog", "Search", "SearchService", "Scoring", "Identity", "LLM", "Sandbox", "Proxy", "Corpus",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),

        // Test helpers shared by test targets, as HummingbirdTesting is: fresh SQLite and PostgreSQL databases (starts a
        // throw-away PostgreSQL cluster), the manual clock, the scripted faulty chat server. Never linked by a product.
        .target(name: "ShopArenaTesting", dependencies: [
            "ArenaModel", "Store", "LLM",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // Helpers shared by the test targets (locating shared/data, temporary folders).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ArenaModelTests", dependencies: ["ArenaModel", "TestSupport"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "ArenaModel", "TestSupport"]),
        .testTarget(name: "SearchTests", dependencies: ["Search", "Catalog", "ArenaModel", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SearchServiceTests", dependencies: [
            "SearchService", "Search", "Catalog", "ArenaModel", "TestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "ArenaModel", "TestSupport"]),
        .testTarget(name: "LLMTests", dependencies: [
            "LLM", "Scoring", "ArenaModel", "TestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "ArenaModel", "TestSupport", "Proxy"]),
        .testTarget(name: "ShopArenaCLITests", dependencies: ["ArenaModel", "TestSupport"]),
        .testTarget(name: "ProxyTests", dependencies: [
            "Proxy", "Sandbox", "Search", "ArenaModel", "TestSupport", "LLM", "Catalog", "Scoring",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "ShopArenaTesting", "ArenaModel", "TestSupport"]),
        .testTarget(name: "BackendTests", dependencies: [
            "Backend", "Store", "ShopArenaTesting", "Identity", "ArenaModel", "TestSupport", "Corpus",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "WebTests", dependencies: [
            "Web", "Backend", "Store", "ShopArenaTesting", "ArenaModel", "TestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .testTarget(name: "JudgeTests", dependencies: [
            "Judge", "ShopArenaTesting", "LLM", "Scoring", "ArenaModel", "TestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ValidatorTests", dependencies: [
            "Validator", "Backend", "Store", "ShopArenaTesting", "Identity", "ArenaModel", "TestSupport", "Sandbox",
            "Search", "Catalog", "Scoring", "Judge", "LLM", "ArenaRuntime", "Proxy", "ArenaClient",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(name: "CorpusTests", dependencies: [
            "Corpus", "ArenaModel", "Backend", "Store", "ShopArenaTesting", "Identity", "TestSupport", "ArenaRuntime",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .testTarget(name: "ArenaRuntimeTests", dependencies: [
            "ArenaRuntime", "Backend", "TestSupport", "Judge", "Sandbox", "Scoring", "Search", "Proxy", "Validator",
            "ArenaModel", "Store", "ShopArenaTesting", "Identity", "Corpus", "LLM",
        ]),
        .testTarget(name: "IdentityTests", dependencies: ["Identity", "TestSupport"],
                    exclude: ["sr25519_peer.py"]),
    ]
)

// Upcoming language features every Swift target (sources and tests) is compiled with (issue 15):
// MemberImportVisibility makes each file import the module whose members it uses, so the imports above stay
// an honest list of what a target depends on; ExistentialAny makes every existential spelled `any P`.
let upcomingFeatures: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("ExistentialAny"),
]
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + upcomingFeatures
}

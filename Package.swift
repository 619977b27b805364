// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Postroom",
    // Linux only (no `platforms`: no Apple platform is claimed). The pipeline calls Glibc directly —
    // syncfs(2), O_TMPFILE with linkat through /proc/self/fd, flock — in PostroomPipeline's
    // FileSystem*.swift, DataFolderLock.swift and InboxScanner.swift; FileSystem.swift stops any other
    // build with #error. A macOS port would start there.
    products: [
        .executable(name: "postroom", targets: ["postroom"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Pulled in by Hummingbird; named for NIOCore (the bound port of the listening channel).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // The PostgreSQL state store (issue 15; docs/POSTGRES.md).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Pulled in by postgres-nio; named for the TLS settings of `store.url`'s sslmode.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // C libraries from the system (Debian: libarchive-dev, nettle-dev, zlib1g-dev, libzstd-dev; and
        // libjemalloc-dev, linked by PostroomAllocator below).
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CNettle", pkgConfig: "nettle", providers: [.apt(["nettle-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // gzip archives compressed by libdeflate (Debian: libdeflate-dev): PostroomArchive/GzipMembers.swift.
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        // sqlite3_config (variadic) for Swift (Debian: libsqlite3-dev, which GRDB links too).
        .systemLibrary(name: "CSQLiteConfig", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // The pure core: formats, validation, correlation, workflow, acknowledgements. No I/O.
        .target(name: "PostroomCore"),
        // SQLite state through GRDB.
        .target(name: "PostroomStore", dependencies: [
            "PostroomCore", "CZlib", "CZstd", "CSQLiteConfig",
            .product(name: "GRDB", package: "GRDB.swift"),
            // The C API, to bind and read values straight on GRDB's prepared statements (SQL/GRDBExecutor+Binding.swift).
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // SHA-256, HMAC-SHA256 and SHA-1 through Nettle (which libarchive loads anyway): the one wrapper.
        .target(name: "PostroomDigest", dependencies: ["PostroomCore", "CNettle"]),
        // Archives through libarchive (tar), gzip members through libdeflate.
        .target(name: "PostroomArchive", dependencies: ["CArchive", "CDeflate", "PostroomCore"]),
        // The fuzz targets (`make fuzz`) and their replayer: any bytes into each parser, never a crash.
        .target(name: "PostroomFuzzTargets", dependencies: ["PostroomCore", "PostroomArchive"]),
        .executableTarget(name: "postroom-fuzz", dependencies: ["PostroomFuzzTargets"]),
        // `pipeline.json` read and checked (PipelineConfig), and the channels' expected files evaluated
        // against the store (Expectations): what the pipeline, the server and the commands share.
        .target(name: "PostroomConfig", dependencies: ["PostroomCore", "PostroomStore"]),
        // PostgreSQL as the state store of several nodes (docs/POSTGRES.md): its migrations, node registry,
        // drop claims with leases and fencing tokens. Phase 1: not yet used by the pipeline.
        .target(name: "PostroomPostgres", dependencies: [
            "PostroomCore", "PostroomConfig", "PostroomStore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // A throwaway PostgreSQL server for tests (initdb into a temporary folder, a Unix socket, stopped at exit).
        .target(name: "PostroomPostgresTestSupport"),
        // Intake, the stage runner, outbox writing.
        .target(name: "PostroomPipeline", dependencies: [
            "PostroomCore", "PostroomConfig", "PostroomStore", "PostroomPostgres", "PostroomArchive", "PostroomDigest",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // `postroom serve`: the read-only FHIR query API, the operator's web page and /metrics (Hummingbird 2).
        .target(name: "PostroomServer", dependencies: [
            "PostroomCore", "PostroomConfig", "PostroomStore", "PostroomPostgres", "PostroomDigest", "PostroomArchive",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The executable's malloc: jemalloc (Debian: libjemalloc-dev), linked ahead of the C library's,
        // with its options (Sources/PostroomAllocator/allocator.c).
        .target(name: "PostroomAllocator", linkerSettings: [.linkedLibrary("jemalloc")]),
        // The command line.
        .executableTarget(name: "postroom", dependencies: [
            "PostroomAllocator", "PostroomCore", "PostroomConfig", "PostroomStore", "PostroomPipeline", "PostroomServer", "PostroomPostgres",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Generates the FHIR R4 spec tables of PostroomCore from the official core package (Foundation only).
        .executableTarget(name: "postroom-fhir-gen", exclude: ["README.md"]),
        // Measures FHIR parse + validation throughput (a benchmark, not a test).
        .executableTarget(name: "postroom-bench-fhir", dependencies: ["PostroomCore"]),

        // Benchmark of HL7 v2 parse + validate + map throughput (not a test).
        .executableTarget(name: "postroom-bench-v2", dependencies: ["PostroomCore"], exclude: ["README.md"]),
        // `make bench`: generates seeded loads, runs `postroom run --once` on them (and the reference programs of
        // ../shared/bench with --compare) and reports files/s, messages/s, MB/s, CPU and peak RSS.
        .executableTarget(name: "postroom-bench", dependencies: [
            "PostroomCore", "PostroomPostgresTestSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "PostroomCoreTests", dependencies: ["PostroomCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PostroomStoreTests", dependencies: [
            "PostroomStore", "CZlib",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "InMemoryLogging", package: "swift-log"),
        ]),
        .testTarget(name: "PostroomArchiveTests", dependencies: ["PostroomArchive", "PostroomCore", "PostroomFuzzTargets"]),
        // The benchmark's generator and bookkeeping (no timing): loads valid and correlated, counts trusted.
        .testTarget(name: "PostroomBenchTests", dependencies: ["postroom-bench", "PostroomCore", "PostroomConfig", "PostroomPostgresTestSupport"]),
        .testTarget(name: "PostroomPipelineTests", dependencies: [
            "PostroomPipeline", "PostroomConfig", "PostroomArchive", "PostroomStore", "PostroomCore",
            .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
        ]),
        // HTTP tests of the FHIR API and the web page on a store filled by the real pipeline; a headless Chromium test.
        .testTarget(name: "PostroomServerTests", dependencies: [
            "PostroomServer", "PostroomConfig", "PostroomPipeline", "PostroomStore", "PostroomCore", "PostroomDigest",
            "PostroomPostgres", "PostroomPostgresTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "InMemoryLogging", package: "swift-log"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The PostgreSQL store against a real throwaway server: migrations, nodes, claims, fencing.
        .testTarget(name: "PostroomPostgresTests", dependencies: [
            "PostroomPostgres", "PostroomPostgresTestSupport", "PostroomConfig", "PostroomCore", "PostroomStore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The store's tests (links to PostroomStoreTests' files) run on PostgreSQL through PostgresStoreBackend.
        .testTarget(name: "PostroomStorePostgresTests", dependencies: [
            "PostroomStore", "PostroomPostgres", "PostroomPostgresTestSupport", "PostroomConfig", "PostroomCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "InMemoryLogging", package: "swift-log"),
        ]),
        // Drives the real `postroom` executable on real folders.
        .testTarget(name: "PostroomEndToEndTests", dependencies: [
            "PostroomStore", "PostroomArchive", "PostroomCore", "PostroomConfig", "PostroomPostgres", "PostroomPostgresTestSupport",
        ],
                    exclude: ["Fixtures"]),
    ]
)

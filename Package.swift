// swift-tools-version:6.0
import PackageDescription

// Hot paths (dump loops, decoding, rendering) mutate buffers inside classes and closures;
// Swift's run-time exclusivity checks cost about 6% there. They stay on in debug builds,
// where the tests run, and are off in release builds.
let fast: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked", "-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "netscope",
    products: [
        .executable(name: "netscope", targets: ["netscope"]),
        .library(name: "NetscopeKit", targets: ["NetscopeKit"]),
        .library(name: "MetricsServer", targets: ["MetricsServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The metrics HTTP server (`netscope serve`): event loops, HTTP/1.1, gzip.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        // The version and the git commit the binary is built from (written at build time by
        // BuildInfoPlugin). Depends on nothing, so every layer may name it.
        .target(name: "BuildInfo", plugins: ["BuildInfoPlugin"]),
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        // libmnl from the system (Debian: libmnl-dev).
        .systemLibrary(
            name: "CMnl",
            pkgConfig: "libmnl",
            providers: [.apt(["libmnl-dev"])]
        ),
        // Kernel uapi headers plus prefixed shims for macros Swift cannot import.
        .target(name: "CNetlinkHeaders"),
        .target(name: "Netlink", dependencies: ["CMnl", "CNetlinkHeaders"], swiftSettings: fast),
        // The model every layer shares: interfaces, addresses, routes, sockets, counters, the
        // name tables and selectors. No I/O.
        .target(name: "NetModel", swiftSettings: fast),
        .target(name: "RouteNetlink", dependencies: ["Netlink", "NetModel", "CNetlinkHeaders", "CMnl"], swiftSettings: fast),
        .target(name: "SockDiag", dependencies: ["Netlink", "NetModel", "CNetlinkHeaders", "CMnl"], swiftSettings: fast),
        // Generic netlink: family resolution and the ethtool family's standard statistics.
        .target(name: "EthtoolNetlink", dependencies: ["Netlink", "NetModel", "CNetlinkHeaders", "CMnl"], swiftSettings: fast),
        // Pure parsers for /proc/net text; no I/O except ProcRoot's reads.
        .target(name: "ProcNet", dependencies: ["NetModel"]),
        // Kernel and /proc I/O: queries over rtnetlink, sock_diag and /proc, the event watcher,
        // the process scanner.
        .target(
            name: "NetQuery", dependencies: ["Netlink", "RouteNetlink", "SockDiag", "EthtoolNetlink", "ProcNet", "NetModel", "CNetlinkHeaders"],
            swiftSettings: fast),
        // Output primitives: buffered sink, tables, units, the JSON writer and parser.
        .target(name: "NetOutput", dependencies: ["NetModel"], swiftSettings: fast),
        // Pure computation over samples and documents: overview, rates, snapshot diff.
        .target(name: "NetAnalysis", dependencies: ["NetModel", "NetOutput"], swiftSettings: fast),
        // Every renderer: tables, JSON in ip's and ss's field names, watch lines, top's screen.
        // No kernel module may be imported here.
        .target(name: "NetRender", dependencies: ["NetModel", "NetOutput", "NetAnalysis", "TerminalIO"], swiftSettings: fast),
        // The Prometheus/OpenMetrics exposition writer and the per-port aggregation.
        .target(name: "NetMetrics", dependencies: ["NetModel", "NetOutput"], swiftSettings: fast),
        // The terminal for `top`: raw mode, the alternate screen, stop signals.
        .target(name: "TerminalIO", dependencies: ["CNetlinkHeaders"]),
        // The library product: what a program embedding netscope calls, and the compositions
        // that join queries to writers (snapshots, metrics collection).
        .target(
            name: "NetscopeKit",
            dependencies: ["NetQuery", "NetRender", "NetAnalysis", "NetOutput", "NetMetrics", "NetModel", "Netlink", "ProcNet", "SockDiag", "BuildInfo"],
            swiftSettings: fast),
        .target(
            name: "MetricsServer",
            dependencies: [
                "NetMetrics",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
            ],
            // NIO's handlers predate strict concurrency checking; the server confines each
            // connection to its event loop as NIO intends.
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .executableTarget(
            name: "netscope",
            dependencies: [
                "NetscopeKit", "MetricsServer", "NetQuery", "NetRender", "NetAnalysis", "NetOutput", "NetMetrics", "TerminalIO",
                "NetModel", "Netlink", "ProcNet", "SockDiag", "BuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "NetlinkTests", dependencies: ["Netlink", "CNetlinkHeaders", "EthtoolNetlink", "NetModel"]),
        .testTarget(
            name: "RouteNetlinkTests",
            dependencies: ["RouteNetlink", "Netlink", "NetModel", "NetQuery", "NetRender", "NetOutput", "TestSupport"]
        ),
        .testTarget(name: "NetModelTests", dependencies: ["NetModel", "NetOutput"]),
        .testTarget(name: "NetscopeKitTests", dependencies: ["NetscopeKit", "NetOutput"]),
        .testTarget(name: "NetQueryTests", dependencies: ["NetQuery", "NetModel", "Netlink", "RouteNetlink", "TestSupport"]),
        .testTarget(name: "NetOutputTests", dependencies: ["NetOutput", "NetModel", "TestSupport"]),
        .testTarget(name: "NetAnalysisTests", dependencies: ["NetAnalysis", "NetRender", "NetOutput", "NetModel", "TestSupport"]),
        .testTarget(name: "NetRenderTests", dependencies: ["NetRender", "NetAnalysis", "NetOutput", "NetModel", "TerminalIO", "TestSupport"]),
        .testTarget(name: "NetMetricsTests", dependencies: ["NetMetrics", "NetOutput", "NetModel"]),
        .testTarget(name: "SockDiagTests", dependencies: ["SockDiag", "Netlink", "NetModel", "NetQuery", "NetRender", "NetOutput", "ProcNet", "TestSupport"]),
        .testTarget(name: "ProcNetTests", dependencies: ["ProcNet", "NetModel", "TestSupport"]),
        .testTarget(name: "LiveTests", dependencies: ["TestSupport"]),
        // The command line parsed in process: the start-up parser against ArgumentParser.
        .testTarget(name: "CLITests", dependencies: ["netscope", "TestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    ]
)

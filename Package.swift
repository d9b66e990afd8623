// swift-tools-version:6.0
import PackageDescription

// Hot paths (dump loops, decoding, rendering) mutate buffers inside classes and closures;
// Swift's run-time exclusivity checks cost about 6% there. They stay on in debug builds,
// where the tests run, and are off in release builds.
let fast: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

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
        // libmnl from the system (Debian: libmnl-dev).
        .systemLibrary(
            name: "CMnl",
            pkgConfig: "libmnl",
            providers: [.apt(["libmnl-dev"])]
        ),
        // Kernel uapi headers plus prefixed shims for macros Swift cannot import.
        .target(name: "CNetlinkHeaders"),
        .target(name: "Netlink", dependencies: ["CMnl", "CNetlinkHeaders"], swiftSettings: fast),
        .target(name: "NetModel", swiftSettings: fast),
        .target(name: "RouteNetlink", dependencies: ["Netlink", "NetModel", "CNetlinkHeaders", "CMnl"], swiftSettings: fast),
        .target(name: "SockDiag", dependencies: ["Netlink", "NetModel", "CNetlinkHeaders", "CMnl"], swiftSettings: fast),
        // Pure parsers for /proc/net text; no I/O except ProcRoot's reads.
        .target(name: "ProcNet", dependencies: ["NetModel"]),
        .target(name: "NetscopeKit", dependencies: ["Netlink", "RouteNetlink", "SockDiag", "NetModel", "ProcNet", "CNetlinkHeaders"], swiftSettings: fast),
        .target(
            name: "MetricsServer",
            dependencies: [
                "NetscopeKit", "Netlink",
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
                "NetscopeKit", "MetricsServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "NetlinkTests", dependencies: ["Netlink", "CNetlinkHeaders"]),
        .testTarget(
            name: "RouteNetlinkTests",
            dependencies: ["RouteNetlink", "Netlink", "NetModel", "NetscopeKit", "TestSupport"]
        ),
        .testTarget(name: "NetscopeKitTests", dependencies: ["NetscopeKit", "NetModel"]),
        .testTarget(name: "SockDiagTests", dependencies: ["SockDiag", "Netlink", "NetModel", "NetscopeKit", "TestSupport"]),
        .testTarget(name: "ProcNetTests", dependencies: ["ProcNet", "NetModel", "TestSupport"]),
        .testTarget(name: "LiveTests", dependencies: ["TestSupport"]),
    ]
)

// swift-tools-version:6.0
// libFuzzer targets, in a package of their own so that the main build never links them
// (they have no main: libFuzzer brings it). Built by `make fuzz` with
// `--sanitize=fuzzer --sanitize=address`.
import PackageDescription

let package = Package(
    name: "netscope-fuzz",
    dependencies: [
        .package(name: "netscope", path: ".."),
        // EmbeddedChannel, to drive the server's connection pipeline without sockets.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "fuzz-netscope",
            dependencies: [
                .product(name: "NetscopeKit", package: "netscope"),
                .product(name: "MetricsServer", package: "netscope"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"]), .swiftLanguageMode(.v5)]
        ),
    ]
)

// swift-tools-version:6.0
// libFuzzer targets, in a package of their own so that the main build never links them
// (they have no main: libFuzzer brings it). Built by `make fuzz` with
// `--sanitize=fuzzer --sanitize=address`.
import PackageDescription

let package = Package(
    name: "netscope-fuzz",
    dependencies: [.package(name: "netscope", path: "..")],
    targets: [
        .executableTarget(
            name: "fuzz-netscope",
            dependencies: [.product(name: "NetscopeKit", package: "netscope")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)

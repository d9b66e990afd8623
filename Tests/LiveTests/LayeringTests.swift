import Foundation
import TestSupport
import Testing

/// The module layering check CI runs (.ci/check-imports.py) passes on the tree, and fails
/// on a planted violation of each rule.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs swift and python3 (always runs under CI=true)"))
struct LayeringTests {
    static let root = ReadmeTests.root
    static let checker = root.appendingPathComponent(".ci/check-imports.py").path

    /// A copy of Sources/ and Tests/ in a temporary directory, and the manifest as JSON.
    static func copy() throws -> (URL, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nst-layering-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for folder in ["Sources", "Tests"] {
            try FileManager.default.copyItem(at: root.appendingPathComponent(folder), to: directory.appendingPathComponent(folder))
        }
        let manifest = directory.appendingPathComponent("manifest.json").path
        // Its own scratch path: the package's .build is locked while the tests run.
        let scratch = directory.appendingPathComponent("scratch").path
        let json = try Shell.check(["sh", "-c", "cd '\(root.path)' && swift package --scratch-path '\(scratch)' dump-package"])
        try json.write(toFile: manifest, atomically: true, encoding: .utf8)
        return (directory, manifest)
    }

    static func plant(_ line: String, in file: URL) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        try (line + "\n" + text).write(to: file, atomically: true, encoding: .utf8)
    }

    @Test func theTreeFollowsTheLayering() throws {
        let result = try Shell.run(["python3", Self.checker])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test func aRendererImportingAKernelModuleFails() throws {
        let (directory, manifest) = try Self.copy()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try Shell.run(["python3", Self.checker, "--root", directory.path, "--manifest", manifest]).status == 0)
        try Self.plant("import Netlink", in: directory.appendingPathComponent("Sources/NetRender/LinkRendering.swift"))
        let result = try Shell.run(["python3", Self.checker, "--root", directory.path, "--manifest", manifest])
        #expect(result.status == 1)
        #expect(result.stdout.contains("Sources/NetRender/LinkRendering.swift:1: rendering module NetRender imports kernel module Netlink"), "\(result.stdout)")
    }

    @Test func anUndeclaredImportFails() throws {
        let (directory, manifest) = try Self.copy()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.plant("import SockDiag", in: directory.appendingPathComponent("Sources/netscope/Subcommands/Links.swift"))
        try Self.plant("@testable import NetQuery", in: directory.appendingPathComponent("Sources/NetModel/Route.swift"))
        let result = try Shell.run(["python3", Self.checker, "--root", directory.path, "--manifest", manifest])
        #expect(result.status == 1)
        #expect(result.stdout.contains("Sources/NetModel/Route.swift:1: NetModel imports NetQuery, which Package.swift does not declare for it"), "\(result.stdout)")
        // The CLI declares SockDiag: that one is allowed.
        #expect(!result.stdout.contains("Links.swift"), "\(result.stdout)")
    }
}

import NetModel
import ProcNet
import TestSupport
import Testing

/// Namespace discovery's parsers over what a real kernel wrote (Fixtures/namespaces, recorded
/// by capture-namespaces.sh with the inodes it expects), then cut and damaged.
@Suite struct MountInfoTests {
    static func expected() throws -> [String: (path: String, inode: UInt64)] {
        var result: [String: (String, UInt64)] = [:]
        for line in try FixtureFiles.text("namespaces/expected").split(separator: "\n") {
            let parts = line.split(separator: " ")
            let kind = String(parts[0])
            let inode = try #require(UInt64(parts.last!))
            let path = kind == "named" ? "/run/netns/\(parts[1])" : parts[1..<(parts.count - 1)].joined(separator: " ")
            result[kind] = (path, inode)
        }
        return result
    }

    @Test func capturedNamespaceMounts() throws {
        let mounts = try MountInfoParser.networkNamespaces(try FixtureFiles.text("namespaces/mountinfo"), file: "mountinfo")
        let expected = try Self.expected()
        let named = try #require(expected["named"])
        let bound = try #require(expected["mount"])
        // The blank in the bind mount's path comes back from the kernel's \040.
        #expect(mounts == [
            .init(inode: named.inode, path: named.path),
            .init(inode: bound.inode, path: bound.path),
        ])
    }

    @Test func everyTruncationIsAnErrorOrAPrefix() throws {
        let text = try FixtureFiles.text("namespaces/mountinfo")
        let full = try MountInfoParser.networkNamespaces(text, file: "m")
        for length in 0..<text.utf8.count {
            let cut = String(decoding: text.utf8.prefix(length), as: UTF8.self)
            // A cut line has no newline: refused. A cut at a line end: the lines before it.
            if let result = try? MountInfoParser.networkNamespaces(cut, file: "m") {
                #expect(cut.isEmpty || cut.hasSuffix("\n"))
                #expect(Array(full.prefix(result.count)) == result)
            }
        }
    }

    @Test func malformedNsfsLinesAreErrorsOthersAreSkipped() throws {
        #expect(throws: ProcNetError(file: "m", line: 1, problem: "nsfs root \"net:[12x]\" is not net:[INODE]")) {
            try MountInfoParser.networkNamespaces("43 42 0:4 net:[12x] /run/netns/a rw - nsfs nsfs rw\n", file: "m")
        }
        #expect(throws: ProcNetError(file: "m", line: 1, problem: "no \" - \" separator before the filesystem type")) {
            try MountInfoParser.networkNamespaces("43 42 0:4 net:[12] /run/netns/a rw nsfs nsfs rw\n", file: "m")
        }
        #expect(throws: ProcNetError(file: "m", line: 1, problem: "3 fields before \" - \", expected at least 6")) {
            try MountInfoParser.networkNamespaces("43 42 0:4 - nsfs nsfs rw\n", file: "m")
        }
        #expect(throws: ProcNetError(file: "m", line: 1, problem: "no filesystem type after \" - \"")) {
            try MountInfoParser.networkNamespaces("43 42 0:4 net:[12] /a rw -\n", file: "m")
        }
        // Another namespace type's mount, and an escape that is not octal, pass as they are.
        let other = try MountInfoParser.networkNamespaces(
            "43 42 0:4 mnt:[12] /run/mnt rw - nsfs nsfs rw\n44 42 0:4 net:[13] /a\\9b\\134c rw - nsfs nsfs rw\n", file: "m")
        #expect(other == [.init(inode: 13, path: "/a\\9b\\c")])
    }
}

@Suite struct CgroupFileTests {
    @Test func capturedContainerCgroups() throws {
        let docker = try CgroupFileParser.paths(try FixtureFiles.text("namespaces/cgroup.docker"), file: "cgroup")
        let refs = docker.compactMap { ContainerRef.classify(cgroupPath: Substring($0)) }
        #expect(refs.first == ContainerRef(kind: .docker, id: "4f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"))
        let pod = try CgroupFileParser.paths(try FixtureFiles.text("namespaces/cgroup.pod"), file: "cgroup")
        #expect(pod.compactMap { ContainerRef.classify(cgroupPath: Substring($0)) }.first == ContainerRef(kind: .pod, id: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"))
        let host = try CgroupFileParser.paths(try FixtureFiles.text("namespaces/cgroup.host"), file: "cgroup")
        #expect(host.first == "/")  // v2 first
        #expect(!host.contains { ContainerRef.classify(cgroupPath: Substring($0))?.isContainer == true })
    }

    @Test func truncatedAndMalformed() throws {
        let text = try FixtureFiles.text("namespaces/cgroup.docker")
        for length in 1..<text.utf8.count {
            let cut = String(decoding: text.utf8.prefix(length), as: UTF8.self)
            if !cut.hasSuffix("\n") {
                #expect(throws: ProcNetError.self) { try CgroupFileParser.paths(cut, file: "c") }
            }
        }
        #expect(throws: ProcNetError(file: "c", line: 1, problem: "expected ID:CONTROLLERS:/PATH, found \"garbage\"")) {
            try CgroupFileParser.paths("garbage\n", file: "c")
        }
        #expect(throws: ProcNetError(file: "c", line: 2, problem: "expected ID:CONTROLLERS:/PATH, found \"x::/\"")) {
            try CgroupFileParser.paths("0::/\nx::/\n", file: "c")
        }
    }
}

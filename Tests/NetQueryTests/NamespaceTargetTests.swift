import Netlink
import NetModel
import NetQuery
import Testing

/// A namespace that goes away between discovery and the visit is "gone" (the walk skips it
/// with a warning), not a failure; checked before any setns, so no privilege is needed.
@Suite struct NamespaceTargetTests {
    @Test func aPathThatNoLongerExistsIsGone() {
        let target = NamespaceTarget(label: "x", paths: ["/run/netns/netscope-no-such-namespace", "/proc/999999999/ns/net"])
        #expect { try target.enter() } throws: { ($0 as? NamespaceError)?.gone == true }
    }

    @Test func aReusedPidThatNamesAnotherNamespaceIsGone() throws {
        let own = try #require(NetworkNamespace.identity(path: "/proc/self/ns/net"))
        let target = NamespaceTarget(
            label: "net:[1]", paths: ["/proc/self/ns/net"], identity: NamespaceIdentity(device: own.device, inode: own.inode &+ 1))
        #expect { try target.enter() } throws: { error in
            let failure = error as? NamespaceError
            return failure?.gone == true && failure?.description.contains("now names net:[\(own.inode)]") == true
        }
    }

    @Test func resolveSpellings() throws {
        #expect(try NamespaceTarget.resolve("/some/path").paths == ["/some/path"])
        #expect(try NamespaceTarget.resolve("1").paths == ["/proc/1/ns/net"])
        #expect(try NamespaceTarget.resolve("blue").paths == ["/run/netns/blue"])
        #expect(throws: NamespaceError.self) { try NamespaceTarget.resolve("..") }
        #expect { try NamespaceTarget.resolve("999999999") } throws: { ($0 as? NamespaceError)?.gone == true }
        let own = try #require(NetworkNamespace.identity(path: "/proc/self/ns/net"))
        let found = try NamespaceTarget.resolve("net:[\(own.inode)]")
        #expect(found.identity?.inode == own.inode)
    }
}

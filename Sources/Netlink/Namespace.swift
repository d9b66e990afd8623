import CNetlinkHeaders
#if canImport(Glibc)
import Glibc
#endif

/// Entering another network namespace: `--netns NAME` (/run/netns/NAME, as `ip netns`
/// creates them) or `--netns-pid PID` (/proc/PID/ns/net).
///
/// setns(2) moves only the calling thread. The CLI calls this on the main thread before any
/// socket is opened or /proc/net read; /proc/net follows the main thread's namespace.
public enum NetworkNamespace {

    public static func enter(named name: String) throws {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw NamespaceError(description: "invalid network namespace name \"\(name)\"")
        }
        try enter(path: "/run/netns/\(name)", label: "network namespace \"\(name)\"")
    }

    public static func enter(pid: Int32) throws {
        guard pid > 0 else { throw NamespaceError(description: "invalid process id \(pid) for --netns-pid") }
        try enter(path: "/proc/\(pid)/ns/net", label: "network namespace of process \(pid)")
    }

    public static func enter(path: String, label: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            let hint = code == ENOENT ? "; `ip netns list` shows the names that exist" : ""
            throw NamespaceError(description: "cannot open \(label): \(path): \(NetlinkError.errnoText(code))\(hint)")
        }
        defer { close(fd) }
        guard netscope_setns_net(fd) == 0 else {
            let code = errno
            let hint = code == EPERM ? " (entering a namespace needs CAP_SYS_ADMIN)" : ""
            throw NamespaceError(description: "cannot enter \(label): \(NetlinkError.errnoText(code))\(hint)")
        }
    }

    /// The namespace this thread is in now, held open so that the thread can return to it
    /// after visiting others (`--all-netns`).
    public final class Saved {
        private let fd: Int32

        public init() throws {
            fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw NamespaceError(description: "cannot open the current network namespace: \(NetlinkError.errnoText(errno))")
            }
        }

        deinit { close(fd) }

        public func restore() throws {
            guard netscope_setns_net(fd) == 0 else {
                throw NamespaceError(description: "cannot return to the original network namespace: \(NetlinkError.errnoText(errno))")
            }
        }
    }
}

/// Why entering a network namespace failed, as one line.
public struct NamespaceError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

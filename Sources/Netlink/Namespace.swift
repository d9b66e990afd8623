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

    /// Enters the namespace at `path`. With `expected` (device, inode), a file that now names
    /// another namespace (a process that exited and whose pid was reused) is refused as gone.
    public static func enter(path: String, label: String, expected: (device: UInt64, inode: UInt64)? = nil) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            let hint = code == ENOENT ? "; `netscope namespaces` lists the namespaces that exist" : ""
            throw NamespaceError(description: "cannot open \(label): \(path): \(NetlinkError.errnoText(code))\(hint)", gone: code == ENOENT || code == ESRCH)
        }
        defer { close(fd) }
        guard UInt64(netscope_filesystem_type(fd)) == nsfsMagic else {
            throw NamespaceError(description: "\(path) is not a namespace file (expected /run/netns/NAME, an nsfs bind mount or /proc/PID/ns/net)")
        }
        if let expected, let found = identity(fd: fd), found != expected {
            throw NamespaceError(description: "\(label) is gone: \(path) now names net:[\(found.inode)]", gone: true)
        }
        guard netscope_setns_net(fd) == 0 else {
            let code = errno
            let hint: String
            switch code {
            case EPERM: hint = " (entering a namespace needs CAP_SYS_ADMIN)"
            case EINVAL: hint = " (\(path) is a namespace of another type, not a network namespace)"
            default: hint = ""
            }
            throw NamespaceError(description: "cannot enter \(label): \(NetlinkError.errnoText(code))\(hint)")
        }
    }

    /// NSFS_MAGIC (linux/magic.h): the filesystem of namespace files.
    public static let nsfsMagic: UInt64 = 0x6e73_6673

    /// The (st_dev, st_ino) pair that identifies a namespace file's namespace.
    public static func identity(path: String) -> (device: UInt64, inode: UInt64)? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return (UInt64(status.st_dev), UInt64(status.st_ino))
    }

    static func identity(fd: Int32) -> (device: UInt64, inode: UInt64)? {
        var status = stat()
        guard fstat(fd, &status) == 0 else { return nil }
        return (UInt64(status.st_dev), UInt64(status.st_ino))
    }

    /// Runs `body(0)`…`body(count - 1)` on threads of their own, at once, and waits for all:
    /// namespaces visited side by side (each thread enters its own). Returns the first error.
    public static func onDedicatedThreads(_ count: Int, _ body: (Int) throws -> Void) throws {
        try withoutActuallyEscaping(body) { escaping in
            let slots = (0..<count).map { _ in ResultSlot<Void>() }
            var threads: [pthread_t] = []
            for index in 0..<count {
                let slot = slots[index]
                let box = ThreadBox { slot.result = Result { try escaping(index) } }
                var thread = pthread_t()
                let unmanaged = Unmanaged.passRetained(box)
                let created = pthread_create(&thread, nil, { raw in
                    Unmanaged<ThreadBox>.fromOpaque(raw!).takeRetainedValue().run()
                    return nil
                }, unmanaged.toOpaque())
                if created != 0 {
                    unmanaged.release()
                    slot.result = .failure(NamespaceError(description: "cannot start a namespace thread: \(NetlinkError.errnoText(created))"))
                    continue
                }
                threads.append(thread)
            }
            for thread in threads { pthread_join(thread, nil) }
            for slot in slots { try slot.result?.get() }
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
    /// The namespace no longer exists (its last process exited, its name was deleted):
    /// a walk skips it with a warning instead of failing.
    public var gone = false

    public init(description: String, gone: Bool = false) {
        self.description = description
        self.gone = gone
    }
}

/// What the namespace thread runs (a class: the thread gets one pointer). The caller waits
/// in pthread_join, so nothing is shared while the thread runs.
private final class ThreadBox: @unchecked Sendable {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}

private final class ResultSlot<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}

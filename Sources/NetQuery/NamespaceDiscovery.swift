import Netlink
import NetModel
import ProcNet
import RouteNetlink
#if canImport(Glibc)
import Glibc
#endif

/// Every network namespace on the host: names in /run/netns, nsfs bind mounts anywhere
/// (/proc/self/mountinfo) and the namespaces of every process (/proc/*/ns/net), merged by
/// (device, inode) as `lsns -t net` does. Needs no privilege for what it can see: the
/// namespace of another user's process is hidden from an unprivileged caller (ptrace rules),
/// and `unreadableProcesses` counts those.
public struct NamespaceDiscovery {
    public let proc: ProcRoot
    /// Where `ip netns` keeps names.
    public var namedDirectory = "/run/netns"
    /// How many commands to keep per namespace.
    public var commandLimit = 3
    /// How many processes' cgroups to read per namespace for its container label.
    public var cgroupSample = 32

    public init(proc: ProcRoot = ProcRoot()) { self.proc = proc }

    public struct Result {
        public var namespaces: [NamespaceInfo]
        /// Processes whose namespace could not be read (permission, or gone mid-walk).
        public var unreadableProcesses = 0
        /// Processes seen.
        public var processes = 0
    }

    /// The namespaces, the current one first, then named ones by name, then the rest by inode.
    /// With `ids`, each gets the id the current namespace knows it by (RTM_GETNSID).
    public func discover(ids: NetlinkConnection? = nil) -> Result {
        var found: [NamespaceIdentity: NamespaceInfo] = [:]
        let current = NetworkNamespace.identity(path: "/proc/thread-self/ns/net").map { NamespaceIdentity(device: $0.device, inode: $0.inode) }
        let nsfsDevice = current?.device
        func entry(_ identity: NamespaceIdentity) -> NamespaceInfo { found[identity] ?? NamespaceInfo(identity: identity) }

        for name in ProcRoot(path: namedDirectory).list("") {
            // A name whose mount is gone (ip netns add interrupted) is a plain file, not nsfs.
            guard let id = NetworkNamespace.identity(path: "\(namedDirectory)/\(name)"), id.device == nsfsDevice else { continue }
            let identity = NamespaceIdentity(device: id.device, inode: id.inode)
            var info = entry(identity)
            info.names.append(name)
            found[identity] = info
        }
        if let text = try? proc.read("self/mountinfo"),
           let mounts = try? MountInfoParser.networkNamespaces(text, file: proc.file("self/mountinfo")), let nsfsDevice
        {
            for mount in mounts where !mount.path.hasPrefix(namedDirectory + "/") {
                let identity = NamespaceIdentity(device: nsfsDevice, inode: mount.inode)
                var info = entry(identity)
                if !info.mounts.contains(mount.path) { info.mounts.append(mount.path) }
                found[identity] = info
            }
        }
        var result = Result(namespaces: [])
        var link = [CChar](repeating: 0, count: 64)
        for pidText in proc.list("") {
            guard let pid = Int32(pidText), pid > 0 else { continue }
            result.processes += 1
            let length = readlink(proc.file("\(pid)/ns/net"), &link, link.count - 1)
            guard length > 0, let nsfsDevice else {
                result.unreadableProcesses += 1
                continue
            }
            let text = String(decoding: link[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard let inode = NamespaceIdentity.inode(fromText: Substring(text)) else { continue }
            let identity = NamespaceIdentity(device: nsfsDevice, inode: inode)
            var info = entry(identity)
            info.pids.append(pid)
            found[identity] = info
        }
        for (identity, var info) in found {
            info.names.sort()
            info.mounts.sort()
            info.pids.sort()
            info.isCurrent = identity == current
            info.commands = info.pids.prefix(commandLimit).compactMap { pid in
                (try? proc.read("\(pid)/comm")).map { String($0.prefix { $0 != "\n" }) }
            }
            info.container = container(of: info.pids)
            found[identity] = info
        }
        var list = Array(found.values)
        list.sort { a, b in
            if a.isCurrent != b.isCurrent { return a.isCurrent }
            if a.names.isEmpty != b.names.isEmpty { return !a.names.isEmpty }
            if let x = a.names.first, let y = b.names.first, x != y { return x < y }
            return a.identity < b.identity
        }
        if let ids {
            for index in list.indices { list[index].netnsID = Self.namespaceID(of: list[index], connection: ids) }
        }
        result.namespaces = list
        return result
    }

    /// The container label the processes agree on (ContainerRef.common), from a sample.
    func container(of pids: [Int32]) -> ContainerRef? {
        guard !pids.isEmpty else { return nil }
        var refs: [ContainerRef?] = []
        for pid in pids.prefix(cgroupSample) {
            guard let text = try? proc.read("\(pid)/cgroup"), let paths = try? CgroupFileParser.paths(text, file: "cgroup") else { continue }
            let classified = paths.lazy.compactMap { ContainerRef.classify(cgroupPath: Substring($0)) }
            refs.append(classified.first { $0.isContainer } ?? classified.first)
        }
        return ContainerRef.common(refs)
    }

    /// RTM_GETNSID for one namespace; nil when none is assigned or it cannot be opened.
    static func namespaceID(of info: NamespaceInfo, connection: NetlinkConnection) -> Int32? {
        for path in info.paths {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var id: Int32?
            try? connection.request(RouteRequests.getNamespaceID(fd: fd)) { id = try NamespaceIDDecoder.decode($0) ?? id }
            return id
        }
        return nil
    }
}

/// A namespace to enter: what --netns named, or one found by discovery.
public struct NamespaceTarget: Sendable {
    /// The `netns` label: a name, a path, or net:[INODE].
    public let label: String
    /// Paths that enter it, tried in order (a process can exit; another path still works).
    public let paths: [String]
    /// When known, the namespace the paths must still name (a reused pid names another).
    public let identity: NamespaceIdentity?
    public let container: ContainerRef?

    public init(label: String, paths: [String], identity: NamespaceIdentity? = nil, container: ContainerRef? = nil) {
        self.label = label
        self.paths = paths
        self.identity = identity
        self.container = container
    }

    /// The namespace netscope runs in gets no paths: a walk reads it where it starts, with no
    /// setns, which an unprivileged user may not do even into its own namespace.
    public init(_ info: NamespaceInfo) {
        self.init(label: info.label, paths: info.isCurrent ? [] : info.paths, identity: info.identity, container: info.container)
    }

    /// Enters it on the calling thread; a target without paths is where the thread already
    /// is. A namespace whose every path is gone throws a NamespaceError with `gone` set.
    public func enter() throws {
        guard !paths.isEmpty else { return }
        var lastError: Error = NamespaceError(description: "network namespace \(label) has no path left to enter it", gone: true)
        for path in paths {
            do {
                try NetworkNamespace.enter(
                    path: path, label: "network namespace \(label)", expected: identity.map { ($0.device, $0.inode) })
                return
            } catch let error as NamespaceError where error.gone {
                lastError = error
            }
        }
        throw lastError
    }

    /// What `--netns TEXT` names: `net:[INODE]` (found by discovery), a path (anything with
    /// a slash), a PID (digits, unless /run/netns has that name) or a name in /run/netns.
    public static func resolve(_ text: String, discovery: NamespaceDiscovery = NamespaceDiscovery()) throws -> NamespaceTarget {
        if let inode = NamespaceIdentity.inode(fromText: Substring(text)) {
            guard let info = discovery.discover().namespaces.first(where: { $0.identity.inode == inode }) else {
                throw NamespaceError(description: "no network namespace \(text) on this host (`netscope namespaces` lists them)")
            }
            return NamespaceTarget(info)
        }
        if text.contains("/") { return NamespaceTarget(label: text, paths: [text]) }
        guard !text.isEmpty, text != ".", text != ".." else {
            throw NamespaceError(description: "invalid network namespace name \"\(text)\"")
        }
        let named = "\(discovery.namedDirectory)/\(text)"
        if let pid = Int32(text), access(named, F_OK) != 0 {
            guard pid > 0, access(discovery.proc.file("\(pid)"), F_OK) == 0 else {
                throw NamespaceError(description: "no process \(text): it has exited, or never existed (--netns PID names a running process)", gone: true)
            }
            return NamespaceTarget(label: "pid:\(pid)", paths: [discovery.proc.file("\(pid)/ns/net")])
        }
        return NamespaceTarget(label: text, paths: [named])
    }
}

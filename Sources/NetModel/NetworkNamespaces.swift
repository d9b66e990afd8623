/// A network namespace as the kernel identifies it: the nsfs device and inode of its file
/// (`stat /proc/PID/ns/net`, `lsns -t net`'s NS column). Two paths name the same namespace
/// exactly when both numbers match.
public struct NamespaceIdentity: Hashable, Comparable, Sendable {
    public let device: UInt64
    public let inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// "net:[4026531840]", as readlink(/proc/PID/ns/net) shows it.
    public var text: String { "net:[\(inode)]" }

    public static func < (a: Self, b: Self) -> Bool { (a.device, a.inode) < (b.device, b.inode) }

    /// Parses "net:[4026531840]" (what readlink gives) or "net:4026531840"; the device is the
    /// caller's (all namespaces of one boot share nsfs's device).
    public static func inode(fromText text: Substring) -> UInt64? {
        guard text.hasPrefix("net:") else { return nil }
        var rest = text.dropFirst(4)
        if rest.hasPrefix("[") && rest.hasSuffix("]") { rest = rest.dropFirst().dropLast() }
        guard !rest.isEmpty, rest.allSatisfy(\.isASCII) else { return nil }
        return UInt64(rest)
    }
}

/// The container (or service) a namespace belongs to, read from its processes' cgroup paths.
public struct ContainerRef: Hashable, Sendable {
    public enum Kind: String, Sendable {
        /// Docker (`docker-<id>.scope` with the systemd driver, `/docker/<id>` with cgroupfs).
        case docker
        /// containerd / CRI (`cri-containerd-<id>.scope`), outside a Kubernetes pod.
        case containerd
        /// A Kubernetes pod (`kubepods…pod<uid>`): its containers share the pod's namespace.
        case pod
        /// Podman/libpod (`libpod-<id>.scope`).
        case podman
        /// CRI-O (`crio-<id>.scope`), outside a Kubernetes pod.
        case crio
        /// A systemd unit (service or scope), when nothing more specific applies.
        case systemd
    }

    public let kind: Kind
    public let id: String

    public init(kind: Kind, id: String) {
        self.kind = kind
        self.id = id
    }

    /// "docker:<id>", "pod:<uid>", "systemd:nginx.service": the `container` label and field.
    public var label: String { "\(kind.rawValue):\(id)" }

    /// The label with a runtime's id cut to 12 characters, as `docker ps` shows it (tables).
    public var shortLabel: String {
        switch kind {
        case .docker, .containerd, .podman, .crio: return "\(kind.rawValue):\(id.prefix(12))"
        case .pod, .systemd: return label
        }
    }

    /// Runtimes that make network namespaces of their own (a systemd unit usually does not).
    public var isContainer: Bool { kind != .systemd }

    /// The container a cgroup path names, most specific first: a Kubernetes pod before the
    /// container runtime's scope inside it (the pod owns the namespace), a runtime scope
    /// before the systemd unit. Pure: the path as /proc/PID/cgroup shows it.
    public static func classify(cgroupPath path: Substring) -> ContainerRef? {
        let parts = path.split(separator: "/")
        for part in parts.reversed() {
            // kubepods-besteffort-pod<uid with _>.slice (systemd driver) or pod<uid> (cgroupfs).
            if let start = podStart(part), parts.contains(where: { $0.hasPrefix("kubepods") }) {
                var uid = part[start...]
                if uid.hasSuffix(".slice") { uid = uid.dropLast(6) }
                let cleaned = String(uid.map { $0 == "_" ? "-" : $0 })
                if isUUID(cleaned) { return ContainerRef(kind: .pod, id: cleaned) }
            }
        }
        for (index, part) in parts.enumerated().reversed() {
            for (prefix, kind) in [("docker-", Kind.docker), ("cri-containerd-", .containerd), ("libpod-", .podman), ("crio-", .crio)] {
                if part.hasPrefix(prefix) && part.hasSuffix(".scope") {
                    let id = part.dropFirst(prefix.count).dropLast(6)
                    if isHexID(id) { return ContainerRef(kind: kind, id: String(id)) }
                }
            }
            if index > 0 && isHexID(part) {
                switch parts[index - 1] {
                case "docker": return ContainerRef(kind: .docker, id: String(part))
                case "containerd", "k8s.io": return ContainerRef(kind: .containerd, id: String(part))
                default: break
                }
            }
        }
        if let unit = parts.last(where: { $0.hasSuffix(".service") || $0.hasSuffix(".scope") }) {
            return ContainerRef(kind: .systemd, id: String(unit))
        }
        return nil
    }

    /// The one container all of a namespace's processes agree on. Processes of one runtime
    /// container win over systemd units (the runtime's shim sits in a unit of its own); two
    /// different containers, or processes of many units (the host), give nil.
    public static func common(_ refs: [ContainerRef?]) -> ContainerRef? {
        let containers = Set(refs.compactMap { $0 }.filter(\.isContainer))
        if containers.count == 1 { return containers.first }
        if !containers.isEmpty { return nil }
        guard let first = refs.first, let unit = first, refs.allSatisfy({ $0 == unit }) else { return nil }
        return unit
    }

    /// Where the uid starts in "pod<uid>" or "kubepods-besteffort-pod<uid>.slice".
    static func podStart(_ part: Substring) -> Substring.Index? {
        var index = part.startIndex
        while index < part.endIndex {
            if part[index...].hasPrefix("pod"), index == part.startIndex || part[part.index(before: index)] == "-" {
                return part.index(index, offsetBy: 3)
            }
            index = part.index(after: index)
        }
        return nil
    }

    static func isHexID(_ text: Substring) -> Bool {
        text.utf8.count >= 12 && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }

    static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.utf8.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) } }
    }
}

/// One network namespace found on the host, with what identifies and labels it.
public struct NamespaceInfo: Sendable {
    public let identity: NamespaceIdentity
    /// Names under /run/netns (what `ip netns` shows), sorted.
    public var names: [String] = []
    /// Other nsfs bind mounts of it (Docker's /run/docker/netns/…, CNI's /var/run/netns/…).
    public var mounts: [String] = []
    /// Processes in it, ascending.
    public var pids: [Int32] = []
    /// The first few processes' commands (comm), in pid order.
    public var commands: [String] = []
    public var container: ContainerRef?
    /// The id the current namespace knows it by (RTM_GETNSID); nil when none is assigned.
    public var netnsID: Int32?
    /// The namespace netscope itself runs in.
    public var isCurrent = false

    public init(identity: NamespaceIdentity) { self.identity = identity }

    /// Its name when it has one, else net:[INODE]: the `netns` label.
    public var label: String { names.first ?? identity.text }

    /// A path that enters it: the name, another mount, or a process's ns file.
    public var paths: [String] { names.map { "/run/netns/\($0)" } + mounts + pids.map { "/proc/\($0)/ns/net" } }
}

/// What one namespace holds (`netscope namespaces`): interfaces, addresses, routes (every
/// table but local, whose entries the kernel makes per address), TCP sockets by state and
/// UDP sockets.
public struct NamespaceCounts: Sendable {
    public var interfaces = 0
    public var addresses = 0
    public var routes = 0
    public var tcp: [SocketState: Int] = [:]
    public var udp = 0

    public init() {}

    /// TCP listeners (ss -lt).
    public var listeners: Int { tcp[.listen] ?? 0 }

    /// Every TCP socket, TIME-WAIT included.
    public var tcpTotal: Int { tcp.values.reduce(0, +) }
}

/// The model is part of the API: `import NetscopeKit` brings Interface, Route, Socket, ….
@_exported import NetModel
import NetQuery
import Netlink
import ProcNet

/// The library's entry point: the network stack of one namespace, read over rtnetlink,
/// sock_diag and /proc, as `NetModel` values. This is NetscopeKit's whole public API; the
/// layers behind it (queries, renderers, metrics) are internal to the package.
///
/// ```swift
/// let stack = try NetworkStack()                 // the namespace this thread is in
/// for link in try stack.links() { print(link.name, link.operState?.name ?? "-") }
/// let listeners = try stack.sockets([.tcp], states: SocketStateSet([.listen]))
/// ```
///
/// Reading needs no privileges, except what the kernel itself restricts (other users'
/// processes for socket owners, some tcp_info for CAP_NET_ADMIN).
public final class NetworkStack {
    private let sources = SourceOptions()
    private let proc: ProcRoot
    private let route: NetlinkConnection

    /// The namespace the calling thread is in; /proc read from `procRoot` (default /proc).
    public init(procRoot: String = "/proc") throws {
        proc = ProcRoot(path: procRoot)
        route = try sources.connection(.route)
    }

    /// Moves the calling thread into a network namespace for good, then opens the stack
    /// there: a name in /run/netns (as `ip netns`), a path to a namespace file, a PID or
    /// net:[INODE], as `--netns` takes them. Needs CAP_SYS_ADMIN.
    public convenience init(namespace: String) throws {
        try NamespaceTarget.resolve(namespace).enter()
        try self.init()
    }

    /// Every network namespace on the host (`netscope namespaces`): named, bind-mounted and
    /// held only by processes, with their labels and containers. Needs no privilege, but an
    /// unprivileged caller does not see other users' processes.
    public static func namespaces() -> [NamespaceInfo] { NamespaceDiscovery().discover().namespaces }

    /// Every interface, with its statistics (`ip -s link`).
    public func links() throws -> [Interface] { try LinkQuery(connection: route).interfaces(filter: []) }

    /// Every IPv4 and IPv6 address (`ip addr`).
    public func addresses() throws -> [InterfaceAddress] { try LinkQuery(connection: route).addresses() }

    /// The routes of `table` (nil: every table), both families (`ip route show table …`).
    public func routes(table: UInt32? = Route.mainTable) throws -> [Route] { try RouteQuery(connection: route).routes(table: table) }

    /// The policy rules of both families (`ip rule`).
    public func rules() throws -> [Rule] { try RouteQuery(connection: route).rules() }

    /// The ARP and NDP caches (`ip neigh`).
    public func neighbors() throws -> [Neighbor] { try RouteQuery(connection: route).neighbors() }

    /// Sockets of these protocols in these states, with tcp_info and memory (`ss -tuaeim`).
    public func sockets(_ protocols: Set<SocketProtocol> = [.tcp, .udp], states: SocketStateSet = .all) throws -> [Socket] {
        var request = SocketRequest(protocols: protocols, states: states)
        request.tcpInfo = true
        request.memory = true
        return try SocketQuery(sources: sources, proc: proc).collect(request).sockets
    }

    /// The protocol counters of /proc/net/snmp, netstat and snmp6 (`nstat -a`).
    public func protocolCounters() throws -> [ProtocolCounter] { try ProcQuery(root: proc).protocolCounters() }

    /// Sockets in use per protocol, from /proc/net/sockstat(6) (`ss -s`).
    public func socketStatistics() throws -> [SocketStatistic] { try ProcQuery(root: proc).socketStatistics() }
}

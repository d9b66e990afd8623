import NetModel
import Netlink
import ProcNet

/// What `overview` and `top` read from one namespace at one moment: interfaces with their
/// counters, addresses, route and rule counts, socket counts, listeners, per-connection
/// byte totals, protocol counters and softnet. Routes and sockets are counted as they stream
/// past; only listeners and connection totals are kept.
public struct StackSample: Sendable {
    /// Monotonic seconds when the sample was taken.
    public var time: Double = 0
    public var interfaces: [Interface] = []
    public var addresses: [InterfaceAddress] = []
    /// Default routes of every table, both families.
    public var defaultRoutes: [Route] = []
    public var routeCounts: [RouteCount] = []
    public var ruleCount = (ipv4: 0, ipv6: 0)
    public var neighborCount = 0
    public var socketCounts: [SocketCount] = []
    public var listeners: [Listener] = []
    public var connections: [Connection] = []
    public var protocolCounters: [ProtocolCounter] = []
    public var softnet: [SoftnetStatistics] = []
    /// What could not be read (a missing /proc file).
    public var notes: [String] = []
    /// How sockets were read: families the kernel cannot dump over sock_diag (read from /proc
    /// instead, or not at all).
    public var socketNotes: [String] = []

    public init() {}

    public struct RouteCount: Sendable, Hashable {
        public var family: UInt8
        public var table: UInt32
        public var count: Int
        public init(family: UInt8, table: UInt32, count: Int) {
            self.family = family
            self.table = table
            self.count = count
        }
    }

    public struct SocketCount: Sendable, Hashable {
        public var proto: SocketProtocol
        public var state: SocketState
        public var count: Int
        public init(proto: SocketProtocol, state: SocketState, count: Int) {
            self.proto = proto
            self.state = state
            self.count = count
        }
    }

    /// A listening TCP socket: for a listener, sock_diag's receive queue is the accept queue
    /// (connections waiting for accept()) and its send queue the backlog limit.
    public struct Listener: Sendable, Hashable {
        public var local: String
        public var port: UInt16
        public var acceptQueue: UInt32
        public var backlog: UInt32
        public init(local: String, port: UInt16, acceptQueue: UInt32, backlog: UInt32) {
            self.local = local
            self.port = port
            self.acceptQueue = acceptQueue
            self.backlog = backlog
        }
    }

    /// A TCP connection's byte totals from tcp_info (bytes_acked + bytes_received), keyed by
    /// its socket cookie so a later sample can tell how much moved in between.
    public struct Connection: Sendable, Hashable {
        public var cookie: UInt64
        public var local: String
        public var peer: String
        public var bytesSent: UInt64
        public var bytesReceived: UInt64
        public init(cookie: UInt64, local: String, peer: String, bytesSent: UInt64, bytesReceived: UInt64) {
            self.cookie = cookie
            self.local = local
            self.peer = peer
            self.bytesSent = bytesSent
            self.bytesReceived = bytesReceived
        }
    }
}

/// Takes `StackSample`s with the same queries the single-purpose subcommands use.
public struct StackCollector {
    public let sources: SourceOptions
    public let proc: ProcRoot

    public init(sources: SourceOptions, proc: ProcRoot) {
        self.sources = sources
        self.proc = proc
    }

    public func sample(clock: () -> Double = monotonicSeconds) throws -> StackSample {
        var sample = StackSample()
        let route = try sources.connection(.route)
        let links = LinkQuery(connection: route)
        sample.interfaces = try links.interfaces(filter: [])
        sample.addresses = try links.addresses()
        sample.time = clock()

        let routes = RouteQuery(connection: route)
        var counts: [Int: Int] = [:]  // family << 32 | table
        try routes.routes { r in
            counts[Int(r.family) << 32 | Int(r.table), default: 0] += 1
            if r.destinationLength == 0 && r.type == 1 { sample.defaultRoutes.append(r) }
        }
        sample.routeCounts = counts.map { StackSample.RouteCount(family: UInt8($0.key >> 32), table: UInt32($0.key & 0xFFFF_FFFF), count: $0.value) }
            .sorted { ($0.family, $0.table) < ($1.family, $1.table) }
        let rules = try routes.rules()
        sample.ruleCount = (rules.filter { $0.family == 2 }.count, rules.filter { $0.family == 10 }.count)
        sample.neighborCount = try routes.neighbors().count

        // SCTP is left out: asking makes the kernel try to load sctp_diag, and few hosts use it.
        var request = SocketRequest(protocols: Set(SocketProtocol.allCases).subtracting([.sctp]), states: .all)
        request.tcpInfo = true
        var socketCounts: [SocketProtocol: [SocketState: Int]] = [:]
        let own = OwnSockets()
        sample.socketNotes = try SocketQuery(sources: sources, proc: proc).run(request) { socket in
            if own.contains(socket) { return }
            socketCounts[socket.proto, default: [:]][socket.state, default: 0] += 1
            guard socket.proto == .tcp else { return }
            if socket.state == .listen {
                sample.listeners.append(.init(
                    local: Self.endpointText(socket, socket.local), port: socket.local.port,
                    acceptQueue: socket.receiveQueue, backlog: socket.sendQueue))
            } else if let info = socket.tcpInfo?.value, let cookie = socket.cookie,
                info.bytesAcked != nil || info.bytesReceived != nil
            {
                sample.connections.append(.init(
                    cookie: cookie, local: Self.endpointText(socket, socket.local),
                    peer: Self.endpointText(socket, socket.peer),
                    bytesSent: info.bytesAcked ?? 0, bytesReceived: info.bytesReceived ?? 0))
            }
        }
        for proto in SocketProtocol.allCases {
            for state in SocketState.allCases {
                if let count = socketCounts[proto]?[state] { sample.socketCounts.append(.init(proto: proto, state: state, count: count)) }
            }
        }

        let counters = ProcQuery(root: proc)
        do { sample.protocolCounters = try counters.protocolCounters() } catch { sample.notes.append("\(error)") }
        do { sample.softnet = try counters.softnet() } catch { sample.notes.append("\(error)") }
        return sample
    }

    /// "10.0.0.1:80", "[::1]:443", "*:22" (ss's spelling, without interface scope).
    /// As ss prints it: 0.0.0.0 and [::] for wildcards of one family, * for a dual-stack
    /// IPv6 wildcard (no IPV6_V6ONLY), so the two halves of a dual-stack pair differ.
    static func endpointText(_ socket: Socket, _ endpoint: SocketEndpoint) -> String {
        let port = endpoint.port == 0 ? "*" : String(endpoint.port)
        guard let address = endpoint.address else { return "*:\(port)" }
        if address.isUnspecified && socket.family == AddressFamily.inet6.rawValue && socket.v6Only == false { return "*:\(port)" }
        return socket.family == AddressFamily.inet6.rawValue ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}
